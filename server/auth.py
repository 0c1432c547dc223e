"""Tokens, the current caller, and the one decorator that says who may call an endpoint.

A token is our own: the id of an AuthSession row, signed with SECRET_KEY. It expires (the row's
expires_at) and can be revoked (the row's revoked_at). WeChat's session_key is never part of it.

Who may call an endpoint is checked before anything reads its body: `requires` marks the view,
and a before_request hook answers 401/403 first, so a caller without a token learns nothing
from validation errors.
"""
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import joinedload

from server.errors import Forbidden, Unauthorized
from server.extensions import db
from server.models import AuthSession, Resident, Staff
from server.models.base import utcnow


@dataclass(frozen=True)
class Actor:
    """Who is calling: exactly one of resident or staff."""

    resident: Resident | None = None
    staff: Staff | None = None
    session_id: str | None = None
    # The client's address (behind PROXY_COUNT proxies), for the audit log.
    ip: str = ""

    @property
    def kind(self):
        return "resident" if self.resident is not None else "staff"

    @property
    def is_staff(self):
        return self.staff is not None


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="auth-session")


def issue_token(resident=None, staff=None, method="password"):
    """Create a session row and return (token, expires_at). The caller commits. `method` says
    how the caller proved who they are ("wechat", "password", "dev"), so ending one way of
    logging in (unbinding WeChat) can end exactly the sessions it opened."""
    hours = current_app.config["STAFF_TOKEN_TTL_HOURS" if staff else "TOKEN_TTL_HOURS"]
    session = AuthSession(id=secrets.token_urlsafe(32), resident=resident, staff=staff,
                          method=method, expires_at=utcnow() + timedelta(hours=hours))
    db.session.add(session)
    return _serializer().dumps(session.id), session.expires_at


def revoke_session(session_id):
    session = db.session.get(AuthSession, session_id)
    if session is not None and session.revoked_at is None:
        session.revoked_at = utcnow()


def revoke_sessions(resident=None, staff=None, method=None, keep=None):
    """Revoke every live session of one resident or staff member (only those opened by
    `method` when given; all but `keep`, a session id, when given). Returns how many. The
    caller commits."""
    query = db.update(AuthSession).where(AuthSession.revoked_at.is_(None))
    if staff is not None:
        query = query.where(AuthSession.staff_id == staff.id)
    else:
        query = query.where(AuthSession.resident_id == resident.id)
    if method is not None:
        query = query.where(AuthSession.method == method)
    if keep is not None:
        query = query.where(AuthSession.id != keep)
    result = db.session.execute(query.values(revoked_at=utcnow()),
                                execution_options={"synchronize_session": False})
    return result.rowcount


def actor_from_token(token):
    try:
        session_id = _serializer().loads(token)
    except BadSignature:
        raise Unauthorized("登录凭证无效，请重新登录", slug="invalid_token") from None
    # One query for the session and whoever it belongs to: this runs on every request.
    session = (db.session.get(AuthSession, session_id, options=[
        joinedload(AuthSession.resident), joinedload(AuthSession.staff)])
        if isinstance(session_id, str) else None)
    if session is None or session.revoked_at is not None:
        raise Unauthorized("登录已失效，请重新登录", slug="invalid_token")
    if session.expires_at <= utcnow():
        raise Unauthorized("登录已过期，请重新登录", slug="token_expired")
    if session.staff is not None and not session.staff.active:
        raise Unauthorized("账号已停用", slug="account_disabled")
    return Actor(resident=session.resident, staff=session.staff, session_id=session.id,
                 ip=client_ip())


def client_ip():
    """The caller's address as ProxyFix left it (PROXY_COUNT trusted proxies)."""
    return (request.remote_addr or "")[:64]


_ACTOR_KEY = "civic.actor"


def current_actor():
    """The caller of this request, or None when no token was sent. Cached on the request (not
    on g, which lives as long as the app context and may span several requests)."""
    if _ACTOR_KEY not in request.environ:
        header = request.headers.get("Authorization", "")
        if not header:
            request.environ[_ACTOR_KEY] = None
        else:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise Unauthorized("登录凭证格式有误", slug="invalid_token")
            request.environ[_ACTOR_KEY] = actor_from_token(token.strip())
    return request.environ[_ACTOR_KEY]


def requires(kind=None, roles=None):
    """Let the endpoint run only for a caller of `kind` ("resident" or "staff"), or any logged-in
    caller when kind is None; staff may be narrowed to `roles`. Passes the Actor as `actor`.
    Scope (which objects) is the services' business: they answer 404 outside it."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, actor=_check_caller(kind, roles), **kwargs)

        # flask-smorest's decorators copy this (functools.wraps), so the hook finds it on the
        # registered view.
        wrapper.required_caller = (kind, roles)
        return wrapper

    return decorate


def _check_caller(kind, roles):
    actor = current_actor()
    if actor is None:
        raise Unauthorized()
    if kind is not None and actor.kind != kind:
        raise Forbidden("该功能仅限%s使用" % ("居民" if kind == "resident" else "工作人员"))
    if roles and actor.staff.role not in roles:
        raise Forbidden()
    return actor


def _authenticate_first():
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    required = getattr(view, "required_caller", None)
    if required is not None:
        _check_caller(*required)


def init_app(app):
    """Before the JSON checks and body parsing: 401/403 come before 415/422."""
    app.before_request(_authenticate_first)
