"""Helpers for documenting endpoints in the OpenAPI document."""
from server.schemas.common import Error

BEARER = [{"bearerAuth": []}]

DESCRIPTIONS = {
    400: "请求格式有误", 401: "未登录或登录已失效", 403: "没有权限", 404: "不存在或不在权限范围内",
    409: "与当前状态冲突", 413: "内容过大", 415: "内容类型不支持", 422: "字段校验失败",
    429: "请求过于频繁或账号锁定", 503: "依赖的外部服务暂不可用",
}


def errors(blp, *codes):
    """Document the error answers an endpoint can give, all in the one error shape."""

    def decorate(view):
        for code in codes:
            view = blp.alt_response(code, schema=Error, description=DESCRIPTIONS[code])(view)
        return view

    return decorate


def authenticated(blp, *codes):
    """An endpoint that needs a Bearer token: documents the scheme and the 401 it implies."""

    def decorate(view):
        view = errors(blp, 401, *codes)(view)
        return blp.doc(security=BEARER)(view)

    return decorate
