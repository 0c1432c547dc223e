"""One error hierarchy and one JSON error shape for every error the API answers.

Shape: {"error": "<slug>", "message": "<zh-CN text for a person>", "details": {...}}
"""
import logging

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class APIError(Exception):
    status = 400
    slug = "bad_request"
    message = "请求有误"

    def __init__(self, message=None, *, slug=None, details=None, status=None, headers=None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.slug = slug or self.slug
        self.details = details or {}
        self.headers = headers or {}
        if status is not None:
            self.status = status


class BadRequest(APIError):
    status, slug, message = 400, "bad_request", "请求格式有误"


class Unauthorized(APIError):
    status, slug, message = 401, "unauthorized", "请先登录"


class Forbidden(APIError):
    status, slug, message = 403, "forbidden", "没有权限进行此操作"


class NotFound(APIError):
    status, slug, message = 404, "not_found", "未找到该内容"


class Conflict(APIError):
    status, slug, message = 409, "conflict", "操作与当前状态冲突"


class Invalid(APIError):
    status, slug, message = 422, "invalid", "填写的内容有误"


class TooManyRequests(APIError):
    status, slug, message = 429, "rate_limited", "操作过于频繁，请稍后再试"


class ServiceUnavailable(APIError):
    status, slug, message = 503, "service_unavailable", "服务暂时不可用，请稍后再试"


# Messages for errors raised by Flask/Werkzeug itself, so even a 405 speaks Chinese.
HTTP_MESSAGES = {
    400: ("bad_request", "请求格式有误"),
    401: ("unauthorized", "请先登录"),
    403: ("forbidden", "没有权限进行此操作"),
    404: ("not_found", "未找到该内容"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "操作与当前状态冲突"),
    413: ("payload_too_large", "上传的内容过大"),
    415: ("unsupported_media_type", "不支持的内容类型，请使用 application/json"),
    422: ("invalid", "填写的内容有误"),
    429: ("rate_limited", "操作过于频繁，请稍后再试"),
}


def error_response(status, slug, message, details=None, headers=None):
    response = jsonify({"error": slug, "message": message, "details": details or {}})
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _handle_api_error(err):
    return error_response(err.status, err.slug, err.message, err.details, err.headers)


def _handle_http_exception(err):
    slug, message = HTTP_MESSAGES.get(err.code, ("error", err.description or "请求失败"))
    details = {}
    # webargs/flask-smorest put field errors on the exception's data.
    messages = (getattr(err, "data", None) or {}).get("messages") or {}
    if err.code == 400 and isinstance(messages.get("json"), list):
        # webargs' answer to a body that does not parse as JSON.
        slug, message = "malformed_json", "请求内容不是有效的 JSON"
    elif messages:
        details["fields"] = _flatten_locations(messages)
    headers = {}
    if err.code == 405 and err.response is None:
        allowed = getattr(err, "valid_methods", None)
        if allowed:
            headers["Allow"] = ", ".join(allowed)
    return error_response(err.code or 500, slug, message, details, headers)


def _flatten_locations(messages):
    # webargs nests errors by location ({"json": {...}, "query": {...}}); residents' apps only
    # need the fields, and no two locations share field names in this API.
    flat = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            flat.update(location_errors)
    return flat


def handle_unexpected(err):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return error_response(500, "internal_error", "服务器出错了，请稍后再试")


def init_app(app):
    app.register_error_handler(APIError, _handle_api_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
