from flask import current_app
from flask_smorest import Blueprint

from server.api.docs import authenticated, errors
from server.auth import client_ip, requires
from server.schemas.auth import DevLoginIn, StaffBindIn, StaffLoginIn, TokenOut, WeChatLoginIn
from server.schemas.staff import PasswordChangeIn
from server.services import auth as auth_service
from server.services import ratelimit

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="登录")
dev_blp = Blueprint("dev_auth", __name__, url_prefix="/api/v1/auth",
                    description="开发环境登录（仅 DEV_LOGIN 开启时存在）")


def _token_out(token, expires_at, kind, user_id):
    return {"token": token, "expires_at": expires_at, "user": {"kind": kind, "id": user_id}}


@blp.route("/wechat-login", methods=["POST"])
@blp.arguments(WeChatLoginIn)
@blp.response(200, TokenOut)
@errors(blp, 400, 401, 415, 422, 429, 503)
def wechat_login(body):
    """Log a resident in with the code from wx.login (rate limited per address, and per WeChat
    account once WeChat has named it)."""
    ratelimit.limit("login", ip=client_ip())
    token, expires_at, resident = auth_service.wechat_login(body["code"])
    return _token_out(token, expires_at, "resident", resident.id)


@dev_blp.route("/dev-login", methods=["POST"])
@dev_blp.arguments(DevLoginIn)
@dev_blp.response(200, TokenOut)
@errors(dev_blp, 400, 415, 422, 429)
def dev_login(body):
    """Log in as the resident with this openid (development only)."""
    assert current_app.config["DEV_LOGIN"]
    ratelimit.limit("login", account=ratelimit.openid_account(body["openid"]), ip=client_ip())
    token, expires_at, resident = auth_service.dev_login(body["openid"])
    return _token_out(token, expires_at, "resident", resident.id)


@blp.route("/staff-login", methods=["POST"])
@blp.arguments(StaffLoginIn)
@blp.response(200, TokenOut)
@errors(blp, 400, 401, 415, 422, 429)
def staff_login(body):
    """Log a staff member in with username and password (locked after repeated failures;
    every attempt is also rate limited per username and per address)."""
    ratelimit.limit("login", account=ratelimit.username_account(body["username"]),
                    ip=client_ip())
    token, expires_at, staff = auth_service.staff_login(body["username"], body["password"],
                                                        client_ip())
    return _token_out(token, expires_at, "staff", staff.id)


@blp.route("/staff-bind", methods=["POST"])
@blp.arguments(StaffBindIn)
@blp.response(200, TokenOut)
@errors(blp, 400, 401, 409, 415, 422, 429, 503)
def staff_bind(body):
    """Bind this WeChat account (the wx.login code) to a staff account, proven with its password
    (counted toward the lockout like staff-login), and log in. 409 when this WeChat account is
    bound to another staff account."""
    ratelimit.limit("login", account=ratelimit.username_account(body["username"]),
                    ip=client_ip())
    token, expires_at, staff = auth_service.staff_bind(body["code"], body["username"],
                                                       body["password"], client_ip())
    return _token_out(token, expires_at, "staff", staff.id)


@blp.route("/staff-wechat-login", methods=["POST"])
@blp.arguments(WeChatLoginIn)
@blp.response(200, TokenOut)
@errors(blp, 400, 401, 404, 415, 422, 429, 503)
def staff_wechat_login(body):
    """Log in the staff member whose account this WeChat account is bound to; 404
    `staff_not_bound` when none is (bind once with staff-bind)."""
    ratelimit.limit("login", ip=client_ip())
    token, expires_at, staff = auth_service.staff_wechat_login(body["code"])
    return _token_out(token, expires_at, "staff", staff.id)


@blp.route("/staff-unbind", methods=["POST", "DELETE"])
@blp.response(204)
@authenticated(blp, 403)
@requires("staff")
def staff_unbind(actor):
    """Remove my WeChat binding (staff only) and end every other session opened through
    WeChat (staff-bind, staff-wechat-login: a lost phone); staff-login sessions and this one
    stay valid."""
    auth_service.staff_unbind(actor)


@blp.route("/logout", methods=["POST"])
@blp.response(204)
@authenticated(blp)
@requires()
def logout(actor):
    """Revoke the token this request carries."""
    auth_service.logout(actor)


@blp.route("/logout-all", methods=["POST"])
@blp.response(204)
@authenticated(blp)
@requires()
def logout_all(actor):
    """Revoke every token of mine, on every device, this one included."""
    auth_service.logout_everywhere(actor)


@blp.route("/password", methods=["POST"])
@blp.arguments(PasswordChangeIn)
@blp.response(204)
@authenticated(blp, 400, 403, 415, 422, 429)
@requires("staff")
def change_password(body, actor):
    """Change my password (staff), proving the current one; my other sessions end. A wrong
    current password is 401 and counts toward the lockout."""
    auth_service.change_password(actor, body["current_password"], body["new_password"])
