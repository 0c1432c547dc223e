"""Signing in and out, and where each role lands."""
from flask import redirect, render_template, request, url_for

from server.console import session as console_session
from server.console.blueprint import bp
from server.console.session import current_actor, staff_required
from server.errors import APIError
from server.services import auth as auth_service

# Each role's own work: a committee's inbox of reports, the overview one level up.
LANDING = {"committee": "console.reports_inbox", "street": "console.overview",
           "district": "console.overview", "city": "console.overview"}


def landing_url(staff):
    return url_for(LANDING[staff.role])


def _safe_next(target):
    # Only a path inside the console: never an absolute or scheme-relative URL.
    if target and target.startswith("/console") and not target.startswith("//"):
        return target
    return None


@bp.route("/")
@staff_required()
def home(actor):
    return redirect(landing_url(actor.staff))


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    username = ""
    if request.method == "POST":
        username = (request.form.get("username") or "").strip()
        password = request.form.get("password") or ""
        try:
            token, _, staff = auth_service.staff_login(username, password)
        except APIError as err:
            error = err.message
        else:
            console_session.start(token)
            return redirect(_safe_next(request.args.get("next")) or landing_url(staff))
    elif current_actor() is not None:
        return redirect(landing_url(current_actor().staff))
    status = 401 if error else 200
    return render_template("console/login.html", error=error, username=username), status


@bp.route("/logout", methods=["POST"])
def logout():
    actor = current_actor()
    if actor is not None:
        auth_service.logout(actor)
    console_session.end()
    return redirect(url_for("console.login"))
