"""Tokens, the current caller, and the one decorator that says who may call an endpoint.

A token is our own: the id of an AuthSession row, signed with SECRET_KEY. It expires (the row's
expires_at) and can be revoked (the row's revoked_at). WeChat's session_key is never part of it.
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

    @property
    def kind(self):
        return "resident" if self.resident is not None else "staff"

    @property
    def is_staff(self):
        return self.staff is not None


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="auth-session")


def issue_token(resident=None, staff=None):
    """Create a session row and return (token, expires_at). The caller commits."""
    hours = current_app.config["STAFF_TOKEN_TTL_HOURS" if staff else "TOKEN_TTL_HOURS"]
    session = AuthSession(id=secrets.token_urlsafe(32), resident=resident, staff=staff,
                          expires_at=utcnow() + timedelta(hours=hours))
    db.session.add(session)
    return _serializer().dumps(session.id), session.expires_at


def revoke_session(session_id):
    session = db.session.get(AuthSession, session_id)
    if session is not None and session.revoked_at is None:
        session.revoked_at = utcnow()


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
    return Actor(resident=session.resident, staff=session.staff, session_id=session.id)


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
            actor = current_actor()
            if actor is None:
                raise Unauthorized()
            if kind is not None and actor.kind != kind:
                raise Forbidden("该功能仅限%s使用" % ("居民" if kind == "resident" else "工作人员"))
            if roles and actor.staff.role not in roles:
                raise Forbidden()
            return view(*args, actor=actor, **kwargs)

        return wrapper

    return decorate
