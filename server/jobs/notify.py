from server.extensions import db
from server.jobs import job
from server.services import notifications


@job("notify")
def deliver(notification_id):
    """Send one notification now, outside the outbox (an operator's manual resend); the outbox
    runs the same service function through server.jobs.outbox.run."""
    state = notifications.deliver(notification_id)
    db.session.commit()
    return state
