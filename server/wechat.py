"""The only module that talks to WeChat, through wechatpy.

Without credentials (development only: production refuses to start without them) the gateway
says so once in the log and login answers a clear 503: there is no fake WeChat in the product;
use dev-login on a laptop.
"""
import logging

import requests
from flask import current_app
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.memorystorage import MemoryStorage

log = logging.getLogger(__name__)

# WeChat's answers to a js_code that cannot be used (invalid, already used, too old).
REJECTED_CODE_ERRCODES = {40029, 40163, 40226}


class WeChatError(Exception):
    """WeChat could not be reached or answered with an error."""

    def __init__(self, message, errcode=None):
        super().__init__(message)
        self.errcode = errcode


class WeChatUnavailable(WeChatError):
    """Down, slow (timeout) or not configured: the caller may try again later."""


class WeChatRejected(WeChatError):
    """WeChat answered, and the answer is no (e.g. errcode 40029 for a bad login code)."""


class WeChatGateway:
    def __init__(self, app_id, app_secret, timeout, session_storage=None):
        self.configured = bool(app_id and app_secret)
        self._client = None
        if self.configured:
            self._client = WeChatClient(app_id, app_secret, timeout=timeout,
                                        session=session_storage or MemoryStorage(),
                                        auto_retry=False)

    def code_to_session(self, code):
        """Exchange a wx.login code for {openid, unionid?, session_key}."""
        result = self._call(lambda client: client.wxa.code_to_session(code))
        if not isinstance(result, dict) or not result.get("openid"):
            raise WeChatUnavailable("WeChat answered code2Session without an openid")
        return result

    def _call(self, fn):
        if not self.configured:
            raise WeChatUnavailable("WeChat credentials are not configured")
        try:
            return fn(self._client)
        except WeChatClientException as exc:
            errcode = exc.errcode
            if errcode is None or errcode in (-1, 45009):
                # No errcode: an HTTP error status; -1: WeChat busy; 45009: our quota is spent.
                raise WeChatUnavailable(f"WeChat error: {exc}", errcode) from exc
            raise WeChatRejected(f"WeChat rejected the call: {exc}", errcode) from exc
        except requests.RequestException as exc:
            raise WeChatUnavailable(f"WeChat unreachable: {exc.__class__.__name__}") from exc


def init_app(app):
    gateway = WeChatGateway(app.config["WECHAT_APP_ID"], app.config["WECHAT_APP_SECRET"],
                            app.config["WECHAT_TIMEOUT"])
    if not gateway.configured:
        log.warning("WeChat credentials are not set: WeChat login is unavailable; "
                    "use dev-login (DEV_LOGIN=1) on a development machine.")
    app.extensions["wechat"] = gateway


def gateway():
    return current_app.extensions["wechat"]
