from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.community import CommunityOut, CommunityPage, CommunitySearchArgs
from server.services import org

blp = Blueprint("communities", __name__, url_prefix="/api/v1/communities", description="小区")


@blp.route("", methods=["GET"])
@blp.arguments(CommunitySearchArgs, location="query")
@blp.response(200, CommunityPage)
@authenticated(blp, 422)
@requires()
def list_communities(args, actor):
    """Search communities by name. Residents search all (to bind); staff see their scope."""
    return org.search_communities(actor, args["q"].strip(), args["page"], args["per_page"])


@blp.route("/<id:community_id>", methods=["GET"])
@blp.response(200, CommunityOut)
@authenticated(blp, 404)
@requires()
def get_community(community_id, actor):
    """One community with its residential area, street and district."""
    return org.get_community(actor, community_id)


@blp.route("/by-code/<string:code>", methods=["GET"])
@blp.response(200, CommunityOut)
@authenticated(blp, 404)
@requires()
def get_community_by_code(code, actor):
    """A community by its code, as carried by the QR code posted in the compound."""
    return org.get_community_by_code(actor, code)
