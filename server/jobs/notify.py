from server.jobs import job
from server.services import notifications


@job("notify")
def deliver(notification_id):
    """Send one notification as a WeChat subscribe message (raises to be retried later)."""
    return notifications.deliver(notification_id)
