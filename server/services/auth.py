"""Logging in: residents through WeChat (or dev-login on a laptop), staff with a password."""
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from server import auth, wechat
from server.errors import APIError, ServiceUnavailable, TooManyRequests, Unauthorized
from server.extensions import db
from server.models import Resident, Staff
from server.models.base import utcnow

log = logging.getLogger(__name__)


def wechat_login(code):
    """Exchange a wx.login code for our own token. Nothing is written unless WeChat says yes."""
    try:
        session = wechat.gateway().code_to_session(code)
    except wechat.WeChatRejected as exc:
        raise APIError("微信登录凭证无效或已过期，请重试", slug="wechat_code_invalid",
                       status=401, details={"errcode": exc.errcode}) from exc
    except wechat.WeChatUnavailable as exc:
        log.warning("WeChat login failed: %s", exc)
        raise ServiceUnavailable("暂时无法连接微信，请稍后再试", slug="wechat_unavailable") from exc
    # session_key is deliberately dropped here: nothing we do needs it stored.
    return _login_resident(session["openid"], session.get("unionid"))


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
    token, expires_at = auth.issue_token(staff=staff)
    db.session.commit()
    return token, expires_at, staff


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
