from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.auth import MeOut
from server.schemas.privacy import EraseIn, HeldDataOut
from server.services.privacy import erasure, held

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


@blp.route("/data", methods=["GET"])
@blp.response(200, HeldDataOut)
@authenticated(blp, 403)
@requires("resident")
def my_data(actor):
    """Everything held about me (个人信息查阅): profile, phone, memberships, reports and
    photos, supports, notifications, survey participations (not answers: those are anonymous),
    sessions and staff actions on my records."""
    return held.held_data(actor)


@blp.route("", methods=["DELETE"])
@blp.arguments(EraseIn)
@blp.response(204)
@authenticated(blp, 400, 403, 409, 415, 422)
@requires("resident")
def delete_me(body, actor):
    """Delete my account (注销): personal data, photos and sessions go; my reports stay
    without my name; anonymous survey answers stay counted. Body: {"confirm": "注销"}."""
    erasure.erase(actor, body["confirm"])
