from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.api.report_views import rectification_view
from server.auth import requires
from server.schemas.rectification import (RectificationActionIn, RectificationArgs,
                                          RectificationIn, RectificationOut,
                                          RectificationPage)
from server.services import rectifications

blp = Blueprint("rectifications", __name__, url_prefix="/api/v1/rectifications",
                description="整改意见（督查整改）：街道下发，居委会答复，街道核查")


@blp.route("", methods=["POST"])
@blp.arguments(RectificationIn)
@blp.response(201, RectificationOut)
@authenticated(blp, 400, 403, 404, 415, 422)
@requires("staff")
def issue(body, actor):
    """Issue a rectification order to a community in my street, pointing at reports or a
    standard area, with a deadline (street staff)."""
    return rectification_view(actor, rectifications.issue(actor, body))


@blp.route("", methods=["GET"])
@blp.arguments(RectificationArgs, location="query")
@blp.response(200, RectificationPage)
@authenticated(blp, 403, 422)
@requires("staff")
def list_orders(args, actor):
    """Rectification orders in my scope; `overdue=true` for those past their deadline."""
    page = rectifications.list_for(actor, args)
    page.items = [rectification_view(actor, o) for o in page.items]
    return page


@blp.route("/<id:order_id>", methods=["GET"])
@blp.response(200, RectificationOut)
@authenticated(blp, 403, 404)
@requires("staff")
def get_order(order_id, actor):
    return rectification_view(actor, rectifications.get_for(actor, order_id))


@blp.route("/<id:order_id>/actions", methods=["POST"])
@blp.arguments(RectificationActionIn)
@blp.response(200, RectificationOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff")
def act(body, order_id, actor):
    """answer (committee: what was done, note and photos), pass or return (street; return
    needs a note)."""
    order = rectifications.act(actor, order_id, body["action"], body["note"], body["photo_ids"])
    return rectification_view(actor, order)
