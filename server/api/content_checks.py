from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.content_check import (ContentCheckArgs, ContentCheckOut, ContentCheckPage,
                                          ReviewIn)
from server.services import content_checks

blp = Blueprint("content_checks", __name__, url_prefix="/api/v1/content-checks",
                description="居民发布内容的安全检测与人工审核（工作人员）")


@blp.route("", methods=["GET"])
@blp.arguments(ContentCheckArgs, location="query")
@blp.response(200, ContentCheckPage)
@authenticated(blp, 403, 422)
@requires("staff")
def list_checks(args, actor):
    """Checked content in my scope; `?status=risky` is what waits for review, `skipped` what
    was published without a check."""
    return content_checks.list_for_staff(actor.staff, args.get("status"), args["page"],
                                         args["per_page"])


@blp.route("/<id:check_id>/release", methods=["POST"])
# Every field is optional, so a missing body reads as {}; the document says so.
@blp.arguments(ReviewIn, required=False)
@blp.response(200, ContentCheckOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff")
def release(body, check_id, actor):
    """Publish held content after review."""
    return content_checks.review(actor, check_id, release=True, note=body["note"])


@blp.route("/<id:check_id>/reject", methods=["POST"])
# Every field is optional, so a missing body reads as {}; the document says so.
@blp.arguments(ReviewIn, required=False)
@blp.response(200, ContentCheckOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff")
def reject(body, check_id, actor):
    """Keep content from being published (its author still sees it)."""
    return content_checks.review(actor, check_id, release=False, note=body["note"])
