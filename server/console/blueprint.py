"""The console blueprint, its CSRF check and its error pages.

CSRF: every state-changing request to /console must carry the session's token (hidden form
field `csrf_token`, or the X-CSRFToken header htmx sends). The check is Flask-WTF's
(generate_csrf/validate_csrf) run in this blueprint's before_request only, so the Bearer-token
API under /api/v1 is not affected.
"""
import logging

from flask import Blueprint, render_template, request
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from server.console import labels
from server.console.session import current_actor
from server.errors import APIError
from server.services import staff_notifications

log = logging.getLogger(__name__)
bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
               static_folder="static", static_url_path="/static")

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# How often an open console page asks for the unread count of the staff inbox.
NOTIFICATION_POLL_SECONDS = 5


@bp.before_request
def check_csrf():
    if request.method not in UNSAFE:
        return None
    token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken")
    try:
        validate_csrf(token)
    except ValidationError:
        return error_page(400, "表单安全校验失败", "表单缺少安全校验码或已过期，操作未执行。"
                          "请刷新页面后重新提交。")
    return None


@bp.context_processor
def globals_for_templates():
    actor = current_actor()
    return {"csrf_token": generate_csrf, "actor": actor, "labels": labels,
            "unread": staff_notifications.unread_count(actor.staff) if actor else 0,
            "poll_seconds": NOTIFICATION_POLL_SECONDS}


def error_page(status, title, message):
    return render_template("console/error.html", status=status, title=title,
                           message=message), status


@bp.errorhandler(APIError)
def api_error(err):
    titles = {401: "请先登录", 403: "没有权限", 404: "未找到", 409: "操作未执行",
              422: "填写有误", 429: "操作过于频繁"}
    message = err.message
    if err.status == 404:
        message = f"{err.message}。该内容不存在，或不在您的管辖范围内。"
    return error_page(err.status, titles.get(err.status, "出错了"), message)


@bp.errorhandler(Exception)
def unexpected(err):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return error_page(500, "服务器出错了", "服务器出错了，操作可能未完成，请稍后再试。")


@bp.route("/<path:unknown>")
def unknown_page(unknown):
    # Unknown console paths get the Chinese 404 page; the API keeps its JSON answer.
    return error_page(404, "未找到", "页面不存在，或不在您的管辖范围内。")
