from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.notification import (NotificationArgs, NotificationOut, NotificationPage,
                                         ReadAllOut, UnreadOut)
from server.services import notifications

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications",
                description="居民和工作人员的消息（每条微信订阅消息，无论是否送达，都在这里）")


@blp.route("", methods=["GET"])
@blp.arguments(NotificationArgs, location="query")
@blp.response(200, NotificationPage)
@authenticated(blp, 422)
@requires()
def list_notifications(args, actor):
    """My messages, newest first."""
    return notifications.list_for(actor, args["page"], args["per_page"], args["unread"])


@blp.route("/unread-count", methods=["GET"])
@blp.response(200, UnreadOut)
@authenticated(blp)
@requires()
def unread_count(actor):
    """How many of my messages are unread (for the tab badge)."""
    return {"unread": notifications.unread_count(actor)}


@blp.route("/<id:notification_id>/read", methods=["POST"])
@blp.response(200, NotificationOut)
@authenticated(blp, 404)
@requires()
def mark_read(notification_id, actor):
    """Mark one of my messages read (reading it twice is fine)."""
    return notifications.mark_read(actor, notification_id)


@blp.route("/read-all", methods=["POST"])
@blp.response(200, ReadAllOut)
@authenticated(blp)
@requires()
def mark_all_read(actor):
    """Mark all my messages read."""
    return {"updated": notifications.mark_all_read(actor)}
