"""Logging in: residents through WeChat (or dev-login on a laptop), staff with a password or
with the WeChat account they bound to their staff account once (with that password)."""
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from server import auth, wechat
from server.errors import (APIError, Conflict, NotFound, ServiceUnavailable, TooManyRequests,
                           Unauthorized)
from server.extensions import db
from server.models import Resident, Staff
from server.models.base import utcnow
from server.services import audit

log = logging.getLogger(__name__)


def wechat_login(code):
    """Exchange a wx.login code for our own token. Nothing is written unless WeChat says yes."""
    session = _code_to_session(code)
    # session_key is deliberately dropped here: nothing we do needs it stored.
    return _login_resident(session["openid"], session.get("unionid"))


def _code_to_session(code):
    try:
        return wechat.gateway().code_to_session(code)
    except wechat.WeChatRejected as exc:
        raise APIError("微信登录凭证无效或已过期，请重试", slug="wechat_code_invalid",
                       status=401, details={"errcode": exc.errcode}) from exc
    except wechat.WeChatUnavailable as exc:
        log.warning("WeChat login failed: %s", exc)
        raise ServiceUnavailable("暂时无法连接微信，请稍后再试", slug="wechat_unavailable") from exc


def dev_login(openid):
    return _login_resident(openid, None)


def _login_resident(openid, unionid):
    resident = _find_or_create_resident(openid, unionid)
    resident.last_login_at = utcnow()
    token, expires_at = auth.issue_token(resident=resident)
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


def staff_login(username, password):
    staff = _check_password(username, password)
    token, expires_at = auth.issue_token(staff=staff)
    db.session.commit()
    return token, expires_at, staff


def _check_password(username, password):
    """The staff member with this username and password, or 401/429. A wrong password counts
    toward the lockout (committed here); a right one resets the count (the caller commits)."""
    staff = db.session.execute(db.select(Staff).filter_by(username=username)).scalar_one_or_none()
    now = utcnow()
    wrong = Unauthorized("用户名或密码错误", slug="bad_credentials")
    if staff is None or not staff.active:
        raise wrong
    if staff.locked_until is not None and staff.locked_until > now:
        raise _locked(staff.locked_until, now)
    if not check_password_hash(staff.password_hash, password):
        staff.failed_logins += 1
        if staff.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            staff.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
            staff.failed_logins = 0
            db.session.commit()
            raise _locked(staff.locked_until, now)
        db.session.commit()
        raise wrong
    staff.failed_logins = 0
    staff.locked_until = None
    return staff


def _staff_by_openid(openid):
    return db.session.execute(
        db.select(Staff).filter_by(wechat_openid=openid)).scalar_one_or_none()


def _openid_taken():
    return Conflict("该微信已绑定其他工作人员账号，请先在原账号解除绑定",
                    slug="wechat_already_bound")


def staff_bind(code, username, password):
    """Bind the WeChat account behind `code` to the staff account that the password proves,
    and log in. The code is exchanged first, so a rejected code writes nothing (and does not
    count as a wrong password). Binding again replaces an earlier binding of this account."""
    openid = _code_to_session(code)["openid"]
    staff = _check_password(username, password)
    holder = _staff_by_openid(openid)
    if holder is not None and holder.id != staff.id:
        db.session.commit()  # the reset failure count stands: the password was right
        raise _openid_taken()
    if holder is None:
        before = {"wechat_bound": staff.wechat_openid is not None}
        staff.wechat_openid = openid
        audit.record(auth.Actor(staff=staff), "staff.wechat_bind", staff, before,
                     {"wechat_bound": True})
    token, expires_at = auth.issue_token(staff=staff)
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
    token, expires_at = auth.issue_token(staff=staff)
    db.session.commit()
    return token, expires_at, staff


def staff_unbind(actor):
    """Remove the caller's WeChat binding (idempotent); the current token stays valid."""
    staff = actor.staff
    if staff.wechat_openid is not None:
        staff.wechat_openid = None
        audit.record(actor, "staff.wechat_unbind", staff, {"wechat_bound": True},
                     {"wechat_bound": False})
        db.session.commit()


def _locked(until, now):
    seconds = max(1, int((until - now).total_seconds()))
    minutes = (seconds + 59) // 60
    return TooManyRequests(f"密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试",
                           slug="account_locked",
                           details={"locked_until": until.isoformat()},
                           headers={"Retry-After": str(seconds)})


def logout(actor):
    auth.revoke_session(actor.session_id)
    db.session.commit()
