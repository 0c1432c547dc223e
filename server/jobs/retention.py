from server.jobs import job
from server.services.privacy import retention


@job("default")
def enforce():
    """Delete or strip what is past its retention period (docs/privacy.md); returns counts."""
    return retention.enforce()
