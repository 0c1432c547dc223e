"""Managing staff accounts from above: street, district and city offices (see
server/services/staff.py for who manages whom)."""
from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.staff import PasswordResetIn, RoleIn, StaffArgs, StaffOut, StaffPage
from server.services import staff as staff_service

blp = Blueprint("staff", __name__, url_prefix="/api/v1/staff",
                description="工作人员账号管理：停用、启用、调整角色、重置密码、结束登录")

MANAGERS = ("street", "district", "city")


@blp.route("", methods=["GET"])
@blp.arguments(StaffArgs, location="query")
@blp.response(200, StaffPage)
@authenticated(blp, 403, 422)
@requires("staff", roles=MANAGERS)
def list_staff(args, actor):
    """The accounts in the units below mine (the city: every account)."""
    return staff_service.list_managed(actor, args.get("role"), args.get("active"),
                                      args["page"], args["per_page"])


@blp.route("/<id:staff_id>", methods=["GET"])
@blp.response(200, StaffOut)
@authenticated(blp, 403, 404, 409)
@requires("staff", roles=MANAGERS)
def get_staff(staff_id, actor):
    return staff_service.managed(actor, staff_id)


@blp.route("/<id:staff_id>/deactivate", methods=["POST"])
@blp.response(200, StaffOut)
@authenticated(blp, 403, 404, 409)
@requires("staff", roles=MANAGERS)
def deactivate(staff_id, actor):
    """Stop the account and end all its sessions; reactivating does not revive them."""
    return staff_service.set_active(actor, staff_id, False)


@blp.route("/<id:staff_id>/reactivate", methods=["POST"])
@blp.response(200, StaffOut)
@authenticated(blp, 403, 404, 409)
@requires("staff", roles=MANAGERS)
def reactivate(staff_id, actor):
    return staff_service.set_active(actor, staff_id, True)


@blp.route("/<id:staff_id>/role", methods=["PUT"])
@blp.arguments(RoleIn)
@blp.response(200, StaffOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff", roles=MANAGERS)
def change_role(body, staff_id, actor):
    """Give the account another role and scope (a unit below mine, of the role's level)."""
    return staff_service.change_role(actor, staff_id, body["role"], body["scope"])


@blp.route("/<id:staff_id>/password", methods=["POST"])
@blp.arguments(PasswordResetIn)
@blp.response(200, StaffOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff", roles=MANAGERS)
def reset_password(body, staff_id, actor):
    """Set a new password, end the account's sessions and lift its lockout."""
    return staff_service.reset_password(actor, staff_id, body["password"])


@blp.route("/<id:staff_id>/end-sessions", methods=["POST"])
@blp.response(200, StaffOut)
@authenticated(blp, 403, 404, 409)
@requires("staff", roles=MANAGERS)
def end_sessions(staff_id, actor):
    """Log the account out everywhere (a lost phone, a shared computer)."""
    return staff_service.end_sessions(actor, staff_id)
