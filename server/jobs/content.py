from server.jobs import job
from server.services import content_checks


@job("default")
def check_text(check_id):
    """msgSecCheck one resident's text (raises while WeChat is unavailable, to be retried)."""
    return content_checks.run_text_check(check_id)


@job("default")
def check_image(check_id):
    """Submit one image to mediaCheckAsync; the verdict arrives at the callback."""
    return content_checks.run_image_check(check_id)


@job("default")
def retry_stale():
    """Submit again the checks WeChat has not answered for a while (periodic)."""
    return content_checks.retry_stale()
