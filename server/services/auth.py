"""Logging in: residents through WeChat (or dev-login on a laptop), staff with a password or
with the WeChat account they bound to their staff account once (with that password)."""
import functools
import logging
import secrets

from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from server import auth, wechat
from server.errors import APIError, Conflict, NotFound, ServiceUnavailable, Unauthorized
from server.extensions import db
from server.models import Resident, Staff
from server.models.base import utcnow
from server.services import audit, lockout, ratelimit, wechat_health
from server.services import staff as staff_service

log = logging.getLogger(__name__)


def wechat_login(code):
    """Exchange a wx.login code for our own token. Nothing is written unless WeChat says yes."""
    session = _code_to_session(code)
    # session_key is deliberately dropped here: nothing we do needs it stored.
    return _login_resident(session["openid"], session.get("unionid"))


def _code_to_session(code):
    """WeChat's session for a wx.login code; each login is then counted on the WeChat account
    (the address was counted before WeChat was asked), before anything is written."""
    try:
        session = wechat.gateway().code_to_session(code)
    except wechat.WeChatMisconfigured as exc:
        raise wechat_health.misconfigured(exc) from exc
    except wechat.WeChatRejected as exc:
        raise APIError("微信登录凭证无效或已过期，请重试", slug="wechat_code_invalid",
                       status=401, details={"errcode": exc.errcode}) from exc
    except wechat.WeChatUnavailable as exc:
        log.warning("WeChat login failed: %s", exc)
        raise ServiceUnavailable("暂时无法连接微信，请稍后再试", slug="wechat_unavailable") from exc
    ratelimit.limit("login", account=ratelimit.openid_account(session["openid"]))
    return session


def dev_login(openid):
    return _login_resident(openid, None, method="dev")


def _login_resident(openid, unionid, method="wechat"):
    resident = _find_or_create_resident(openid, unionid)
    resident.last_login_at = utcnow()
    token, expires_at = auth.issue_token(resident=resident, method=method)
    db.session.commit()
    return token, expires_at, resident


def _find_or_create_resident(openid, unionid):
    query = db.select(Resident).filter_by(openid=openid)
    resident = db.session.execute(query).scalar_one_or_none()
    if resident is not None:
        if unionid and not resident.unionid:
            resident.unionid = unionid
        return resident
    try:
        # Two first logins at once race to insert the same openid; the loser reads the winner's.
        with db.session.begin_nested():
            resident = Resident(openid=openid, unionid=unionid)
            db.session.add(resident)
    except IntegrityError:
        resident = db.session.execute(query).scalar_one()
    return resident


def staff_login(username, password, ip=""):
    staff = _check_password(username, password, ip)
    token, expires_at = auth.issue_token(staff=staff, method="password")
    db.session.commit()
    return token, expires_at, staff


@functools.cache
def _dummy_hash():
    # Made with the same method and cost as real hashes, so checking it takes as long.
    return generate_password_hash(secrets.token_urlsafe(16))


def _check_password(username, password, ip):
    """The active staff member with this username and password, or 401/429. Every attempt
    is numbered first (server/services/lockout.py); an unknown or deactivated account costs
    the same hash check and gets the same answer as a wrong password."""
    attempt = lockout.begin(username, ip)
    staff = db.session.execute(db.select(Staff).filter_by(username=username)).scalar_one_or_none()
    password_hash = staff.password_hash if staff is not None else _dummy_hash()
    right = check_password_hash(password_hash, password)
    if not right or staff is None or not staff.active:
        if attempt.last_allowed:
            raise lockout.locked(attempt)
        raise Unauthorized("用户名或密码错误", slug="bad_credentials")
    lockout.succeeded(attempt)
    return staff


def _staff_by_openid(openid):
    return db.session.execute(
        db.select(Staff).filter_by(wechat_openid=openid)).scalar_one_or_none()


def _openid_taken():
    return Conflict("该微信已绑定其他工作人员账号，请先在原账号解除绑定",
                    slug="wechat_already_bound")


def staff_bind(code, username, password, ip=""):
    """Bind the WeChat account behind `code` to the staff account that the password proves,
    and log in. The code is exchanged first, so a rejected code writes nothing (and does not
    count as a wrong password). Binding again replaces an earlier binding of this account."""
    openid = _code_to_session(code)["openid"]
    staff = _check_password(username, password, ip)
    holder = _staff_by_openid(openid)
    if holder is not None and holder.id != staff.id:
        raise _openid_taken()
    if holder is None:
        before = {"wechat_bound": staff.wechat_openid is not None}
        staff.wechat_openid = openid
        audit.record(auth.Actor(staff=staff, ip=ip), "staff.wechat_bind", staff, before,
                     {"wechat_bound": True})
    # The token goes to the phone holding this WeChat account: unbinding ends it with the
    # WeChat logins, as a lost phone must lose both.
    token, expires_at = auth.issue_token(staff=staff, method="wechat")
    try:
        db.session.commit()
    except IntegrityError:
        # Another account bound this openid between our check and our write.
        db.session.rollback()
        raise _openid_taken() from None
    return token, expires_at, staff


def staff_wechat_login(code):
    """The staff member bound to this WeChat account gets a staff token; 404 when none is."""
    openid = _code_to_session(code)["openid"]
    staff = _staff_by_openid(openid)
    if staff is None:
        raise NotFound("该微信尚未绑定工作人员账号，请先用账号密码绑定", slug="staff_not_bound")
    if not staff.active:
        raise Unauthorized("账号已停用", slug="account_disabled")
    token, expires_at = auth.issue_token(staff=staff, method="wechat")
    db.session.commit()
    return token, expires_at, staff


def staff_unbind(actor):
    """Remove the caller's WeChat binding (idempotent) and end every other session opened on
    the WeChat side (staff-bind, staff-wechat-login): a lost phone, unbound from a desk, must
    not stay logged in. Sessions opened with staff-login stay, and so does the caller's own
    (the mini-program logs it out right after)."""
    staff = actor.staff
    ended = auth.revoke_sessions(staff=staff, method="wechat", keep=actor.session_id)
    if staff.wechat_openid is not None or ended:
        audit.record(actor, "staff.wechat_unbind", staff,
                     {"wechat_bound": staff.wechat_openid is not None},
                     {"wechat_bound": False, "sessions_ended": ended})
        staff.wechat_openid = None
    db.session.commit()


def logout(actor):
    auth.revoke_session(actor.session_id)
    db.session.commit()


def logout_everywhere(actor):
    """End every session of the caller, this one included."""
    if actor.is_staff:
        ended = auth.revoke_sessions(staff=actor.staff)
        audit.record(actor, "staff.logout_all", actor.staff, None, {"sessions_ended": ended})
    else:
        auth.revoke_sessions(resident=actor.resident)
    db.session.commit()


def change_password(actor, current_password, new_password):
    """A staff member changes their own password, proving the current one (counted toward the
    lockout); every other session ends."""
    staff = _check_password(actor.staff.username, current_password, actor.ip)
    staff_service.set_password(staff, new_password)
    ended = auth.revoke_sessions(staff=staff, keep=actor.session_id)
    audit.record(actor, "staff.password_change", staff, None, {"sessions_ended": ended})
    db.session.commit()
