"""Who is signed in to the console: the Flask session holds our own staff token (the same
AuthSession rows as the API), so expiry, logout and deactivation work exactly as for the API."""
from functools import wraps

from flask import redirect, request, session, url_for

from server.auth import actor_from_token
from server.errors import Forbidden, Unauthorized

TOKEN_KEY = "console_token"
_ACTOR_KEY = "civic.console_actor"


def current_actor():
    """The signed-in staff member's Actor, or None."""
    if _ACTOR_KEY in request.environ:
        return request.environ[_ACTOR_KEY]
    actor = None
    token = session.get(TOKEN_KEY)
    if token:
        try:
            actor = actor_from_token(token)
        except Unauthorized:
            session.pop(TOKEN_KEY, None)
        if actor is not None and not actor.is_staff:
            actor = None
    request.environ[_ACTOR_KEY] = actor
    return actor


def start(token):
    """A fresh session for a new login: nothing from before it (including the CSRF token)
    survives, so a planted session cannot be reused."""
    session.clear()
    session[TOKEN_KEY] = token
    request.environ.pop(_ACTOR_KEY, None)


def end():
    session.clear()
    request.environ.pop(_ACTOR_KEY, None)


def staff_required(*roles):
    """Run the view for a signed-in staff member (of one of `roles`, when given); pass the
    Actor as `actor`. Not signed in: to the login page, then back here."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            actor = current_actor()
            if actor is None:
                return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
            if roles and actor.staff.role not in roles:
                raise Forbidden("您的角色不能使用该功能")
            return view(*args, actor=actor, **kwargs)

        return wrapper

    return decorate
