"""The staff inbox: what the system tells staff (e.g. next year's holidays are missing)."""
from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.notification import NotificationArgs, StaffNoticeOut, StaffNoticePage
from server.services import holiday_notices

blp = Blueprint("staff_notices", __name__, url_prefix="/api/v1/staff-notices",
                description="工作人员的系统消息")


@blp.route("", methods=["GET"])
@blp.arguments(NotificationArgs, location="query")
@blp.response(200, StaffNoticePage)
@authenticated(blp, 403, 422)
@requires("staff")
def list_notices(args, actor):
    """My system messages, newest first."""
    return holiday_notices.list_for(actor, args["page"], args["per_page"], args["unread"])


@blp.route("/<id:notice_id>/read", methods=["POST"])
@blp.response(200, StaffNoticeOut)
@authenticated(blp, 403, 404)
@requires("staff")
def mark_read(notice_id, actor):
    """Mark one of my system messages read."""
    return holiday_notices.mark_read(actor, notice_id)
