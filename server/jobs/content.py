from server.jobs import job
from server.services import content_checks


@job("default")
def retry_stale():
    """Submit again the checks WeChat has not answered for a while (periodic)."""
    return content_checks.retry_stale()
