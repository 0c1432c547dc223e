from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.extensions import db
from server.schemas.common import PageArgs
from server.schemas.open311 import PartnerKeyIn, PartnerKeyIssued, PartnerKeyOut, PartnerKeyPage
from server.services.open311 import keys

blp = Blueprint("open311_keys", __name__, url_prefix="/api/v1/open311/keys",
                description="Open311 合作系统密钥（市文明办发放）")


@blp.route("", methods=["POST"])
@blp.arguments(PartnerKeyIn)
@blp.response(201, PartnerKeyIssued)
@authenticated(blp, 400, 403, 409, 415, 422)
@requires("staff", roles=("city",))
def issue(body, actor):
    """Issue an API key to a partner system (12345, a district's 数字城管). The key is in this
    answer only; the server keeps its hash."""
    partner, key = keys.issue(body["name"], actor)
    db.session.commit()
    return {**_view(partner), "api_key": key}


@blp.route("", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, PartnerKeyPage)
@authenticated(blp, 403, 422)
@requires("staff", roles=("city",))
def list_keys(args, actor):
    """Partner systems and their keys' prefixes, never the keys."""
    page = keys.list_partners(args["page"], args["per_page"])
    page.items = [_view(p) for p in page.items]
    return page


@blp.route("/<id:partner_id>/revoke", methods=["POST"])
@blp.response(200, PartnerKeyOut)
@authenticated(blp, 403, 404)
@requires("staff", roles=("city",))
def revoke(partner_id, actor):
    """Stop a partner system's key at once."""
    return _view(keys.revoke(actor, partner_id))


def _view(partner):
    return {"id": partner.id, "name": partner.name, "key_prefix": partner.key_prefix,
            "active": partner.active, "created_at": partner.created_at,
            "revoked_at": partner.revoked_at}
