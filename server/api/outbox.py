from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.outbox import OutboxArgs, OutboxPage
from server.services import outbox

blp = Blueprint("outbox", __name__, url_prefix="/api/v1/outbox",
                description="后台待办（推送、内容检测、重算等）的执行情况，供市级运维查看")


@blp.route("", methods=["GET"])
@blp.arguments(OutboxArgs, location="query")
@blp.response(200, OutboxPage)
@authenticated(blp, 403, 422)
@requires("staff", roles=("city",))
def list_rows(args, actor):
    """Background work rows, newest first; `state=failed` lists what was given up after the
    last retry (retry or abandon them with `flask outbox`). City staff only: rows span every
    community."""
    return outbox.page(args.get("state"), args["page"], args["per_page"])
