from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.auth import MeOut

blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="当前用户")


@blp.route("", methods=["GET"])
@blp.response(200, MeOut)
@authenticated(blp)
@requires()
def me(actor):
    """Who I am: a resident with their memberships, or a staff member with their scope."""
    if actor.is_staff:
        staff = actor.staff
        return {"kind": "staff", "id": staff.id, "username": staff.username,
                "display_name": staff.display_name, "role": staff.role,
                "scope": staff.scope_unit, "memberships": []}
    resident = actor.resident
    return {"kind": "resident", "id": resident.id, "username": None,
            "display_name": resident.nickname or None, "role": None, "scope": None,
            "memberships": resident.memberships}
