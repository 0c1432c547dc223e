"""Whether WeChat accepts our configuration, for operators: a wrong AppSecret or a missing IP
whitelist entry is our fault, answered 503 with a message that says so, never blamed on the
user's login code."""
from server import wechat
from server.errors import ServiceUnavailable

MISCONFIGURED_MESSAGE = "微信服务配置有误，暂时无法使用，已记录并通知管理员，请稍后再试"


def misconfigured(exc):
    return ServiceUnavailable(MISCONFIGURED_MESSAGE, slug="wechat_misconfigured",
                              details={"errcode": exc.errcode})


def check():
    """{"status": "ok"} when WeChat hands us an access token and no process has seen a
    configuration error lately; otherwise a 503 saying which."""
    gateway = wechat.gateway()
    if not gateway.configured:
        raise ServiceUnavailable("未配置微信 AppID / AppSecret", slug="wechat_not_configured")
    try:
        gateway.check_credentials()
    except wechat.WeChatMisconfigured as exc:
        raise misconfigured(exc) from exc
    except wechat.WeChatError as exc:
        raise ServiceUnavailable("暂时无法连接微信", slug="wechat_unavailable",
                                 details={"errcode": exc.errcode}) from exc
    errcode = wechat.last_config_error()
    if errcode is not None:
        raise ServiceUnavailable(MISCONFIGURED_MESSAGE, slug="wechat_misconfigured",
                                 details={"errcode": errcode})
    return {"status": "ok"}
