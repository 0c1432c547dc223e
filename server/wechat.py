"""The only module that talks to WeChat, through wechatpy.

The access token lives in Redis (wechatpy's RedisStorage) so the API and every worker share
one; when WeChat says it is invalid or expired (40001/42001) the gateway fetches a new one and
retries the call once. wechatpy's own auto_retry stays off: it recurses without a limit.

Without credentials (development only: production refuses to start without them) the gateway
says so once in the log; login answers a clear 503, subscribe messages are recorded as not sent
and content checks as skipped. There is no fake WeChat in the product: use dev-login on a
laptop.
"""
import logging

import redis
import requests
from flask import current_app
from wechatpy import WeChatClient
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import (InvalidAppIdException, InvalidSignatureException,
                                 WeChatClientException)
from wechatpy.session import SessionStorage
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage
from wechatpy.utils import check_signature

from server import queues

log = logging.getLogger(__name__)

# WeChat's answers to a js_code that cannot be used (invalid, already used, too old).
REJECTED_CODE_ERRCODES = {40029, 40163, 40226}
# The access token is invalid (40001) or expired (42001): fetch a new one, retry once.
TOKEN_ERRCODES = {40001, 42001}
# Busy (-1), API quota spent (45009), subscribe-message rate limits (45047/45011): try later.
TRANSIENT_ERRCODES = {-1, 45009, 45011, 45047}
NOT_SUBSCRIBED = 43101
# Our configuration, not the user's input: a wrong AppID (40013) or AppSecret (40125, 41004
# missing), or this server's address not on the API IP whitelist (40164, 61004).
CONFIG_ERRCODES = {40013, 40125, 40164, 41002, 41004, 61004}
# Where the last configuration error is kept for the health check, and for how long.
CONFIG_ERROR_KEY = "wechat:config_error"
CONFIG_ERROR_TTL = 15 * 60
# wechatpy's client prefixes relative paths with /cgi-bin/; the mini-program APIs live beside it.
API = "https://api.weixin.qq.com/"


class WeChatError(Exception):
    """WeChat could not be reached or answered with an error."""

    def __init__(self, message, errcode=None):
        super().__init__(message)
        self.errcode = errcode


class WeChatUnavailable(WeChatError):
    """Down, slow (timeout), rate limited or not configured: the caller may try again later."""


class WeChatMisconfigured(WeChatUnavailable):
    """WeChat refuses our credentials or our address: an operator must fix the settings."""


class WeChatRejected(WeChatError):
    """WeChat answered, and the answer is no (e.g. errcode 40029 for a bad login code)."""


class SharedTokenStorage(SessionStorage):
    """wechatpy's RedisStorage, falling back to this process's memory while Redis is down or
    hung (the broker's breaker is open): a Redis outage must not take WeChat down with it."""

    def __init__(self, broker_factory):
        self._broker_factory = broker_factory
        self._memory = MemoryStorage()

    def _redis(self):
        broker = self._broker_factory()
        if not broker.available():
            return None
        return RedisStorage(broker.connection, prefix="wechatpy")

    def _try(self, action):
        store = self._redis()
        if store is None:
            return False, None
        try:
            return True, action(store)
        except redis.RedisError as exc:
            self._broker_factory().trip(exc)
            log.warning("Redis unavailable for the WeChat token, using memory: %s", exc)
            return False, None

    def get(self, key, default=None):
        ok, value = self._try(lambda store: store.get(key, default))
        return value if ok else self._memory.get(key, default)

    def set(self, key, value, ttl=None):
        self._memory.set(key, value, ttl)
        self._try(lambda store: store.set(key, value, ttl))

    def delete(self, key):
        self._memory.delete(key)
        self._try(lambda store: store.delete(key))


class _TimeoutSession(requests.Session):
    """wechatpy fetches the access token without its timeout; here no call waits for ever."""

    def __init__(self, timeout):
        super().__init__()
        self._timeout = timeout

    def request(self, method, url, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        return super().request(method, url, **kwargs)


class _Client(WeChatClient):
    """wechatpy's client with WeChat's origin as a setting (wechatpy hard-codes the token URL),
    so tests that run workers as separate processes can point them at a local recorder."""

    def __init__(self, *args, api_base=API, **kwargs):
        super().__init__(*args, **kwargs)
        self._http = _TimeoutSession(self.timeout)
        self.api_base = api_base
        self.API_BASE_URL = api_base + "cgi-bin/"
        self.wxa.API_BASE_URL = api_base

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.api_base + "cgi-bin/token",
            params={"grant_type": "client_credential", "appid": self.appid,
                    "secret": self.secret})


class WeChatGateway:
    def __init__(self, app_id, app_secret, timeout, session_storage=None, callback_token="",
                 miniprogram_state="formal", on_config_error=None, callback_aes_key="",
                 api_base=API):
        self.configured = bool(app_id and app_secret)
        self._on_config_error = on_config_error
        self._crypto = None
        if callback_token and callback_aes_key:
            self._crypto = WeChatCrypto(callback_token, callback_aes_key, app_id)
        self.callback_token = callback_token
        self.miniprogram_state = miniprogram_state
        self._base = api_base
        self._client = None
        if self.configured:
            self._client = _Client(app_id, app_secret, timeout=timeout,
                                   session=session_storage or MemoryStorage(), auto_retry=False,
                                   api_base=api_base)

    def code_to_session(self, code):
        """Exchange a wx.login code for {openid, unionid?, session_key}."""
        result = self._call(lambda client: client.wxa.code_to_session(code))
        if not isinstance(result, dict) or not result.get("openid"):
            raise WeChatUnavailable("WeChat answered code2Session without an openid")
        return result

    def send_subscribe_message(self, openid, template_id, data, page=None):
        """subscribeMessage.send; `data` is {keyword: value}. Raises WeChatRejected with
        errcode 43101 when the user has not subscribed (or used up their one-time consent)."""
        body = {"touser": openid, "template_id": template_id, "lang": "zh_CN",
                "miniprogram_state": self.miniprogram_state,
                "data": {key: {"value": value} for key, value in data.items()}}
        if page:
            body["page"] = page
        return self._call(lambda client: client.post(self._base + "cgi-bin/message/subscribe/send",
                                                     data=body))

    def check_text(self, openid, content, scene):
        """msgSecCheck v2. Returns WeChat's verdict: {"suggest": pass|review|risky,
        "label": int, "trace_id": str}."""
        body = {"content": content, "version": 2, "scene": scene, "openid": openid}
        result = self._call(lambda client: client.post(self._base + "wxa/msg_sec_check", data=body))
        verdict = result.get("result") or {}
        if verdict.get("suggest") not in ("pass", "review", "risky"):
            raise WeChatUnavailable("msgSecCheck answered without a verdict")
        return {"suggest": verdict["suggest"], "label": verdict.get("label"),
                "trace_id": result.get("trace_id")}

    def check_image_async(self, openid, media_url, scene):
        """mediaCheckAsync v2 for an image; the verdict arrives later at the callback URL.
        Returns the trace_id that the callback will carry."""
        body = {"media_url": media_url, "media_type": 2, "version": 2, "scene": scene,
                "openid": openid}
        result = self._call(lambda client: client.post(self._base + "wxa/media_check_async", data=body))
        if not result.get("trace_id"):
            raise WeChatUnavailable("mediaCheckAsync answered without a trace_id")
        return result["trace_id"]

    def get_phone_number(self, code):
        """getuserphonenumber: the phone number a user chose to share (the button's code)."""
        result = self._call(lambda client: client.post(self._base + "wxa/business/getuserphonenumber",
                                                       data={"code": code}))
        info = result.get("phone_info") or {}
        if not info.get("purePhoneNumber"):
            raise WeChatUnavailable("getuserphonenumber answered without a number")
        return info

    def signature_ok(self, signature, timestamp, nonce):
        """Whether a push from WeChat carries our callback token's signature."""
        if not (self.callback_token and signature and timestamp and nonce):
            return False
        try:
            check_signature(self.callback_token, signature, timestamp, nonce)
        except InvalidSignatureException:
            return False
        return True

    @property
    def safe_mode(self):
        """Whether pushes must come encrypted (WECHAT_CALLBACK_AES_KEY is set)."""
        return self._crypto is not None

    def decrypt_push(self, envelope, msg_signature, timestamp, nonce):
        """The plaintext of a safe-mode push: `envelope` holds its Encrypt field, which
        msg_signature signs together with our token. None when either does not check out."""
        try:
            return self._crypto.decrypt_message(envelope, msg_signature, timestamp, nonce)
        except (InvalidSignatureException, InvalidAppIdException, KeyError, ValueError,
                TypeError):
            return None

    def check_credentials(self):
        """Fetch (or reuse) the access token: raises WeChatMisconfigured when WeChat refuses
        our AppID, AppSecret or address, WeChatUnavailable when it cannot be reached."""
        return self._call(lambda client: client.access_token)

    def _call(self, fn):
        if not self.configured:
            raise WeChatUnavailable("WeChat credentials are not configured")
        try:
            return self._attempt(fn)
        except WeChatRejected as exc:
            if exc.errcode not in TOKEN_ERRCODES:
                raise
            log.info("WeChat access token rejected (%s): fetching a new one", exc.errcode)
            self._attempt(lambda client: client.fetch_access_token())
            return self._attempt(fn)

    def _attempt(self, fn):
        try:
            result = fn(self._client)
        except WeChatClientException as exc:
            self._raise_for(exc)
        except requests.RequestException as exc:
            raise WeChatUnavailable(f"WeChat unreachable: {exc.__class__.__name__}") from exc
        if isinstance(result, requests.Response):
            # wechatpy hands back the raw response when the body is not JSON (a proxy's error
            # page, a truncated answer): we cannot tell whether WeChat acted, so try later.
            raise WeChatUnavailable(f"WeChat answered HTTP {result.status_code} without JSON")
        return result

    def _raise_for(self, exc):
        errcode = exc.errcode
        if errcode in CONFIG_ERRCODES:
            self._config_error(errcode, exc)
        if errcode is None or errcode in TRANSIENT_ERRCODES:
            # No errcode: an HTTP error status.
            raise WeChatUnavailable(f"WeChat error: {exc}", errcode) from exc
        raise WeChatRejected(f"WeChat rejected the call: {exc}", errcode) from exc

    def _config_error(self, errcode, exc):
        # Loud: every WeChat login fails until an operator fixes the settings.
        log.error("WeChat refuses our configuration (errcode %s: %s): check WECHAT_APP_ID, "
                  "WECHAT_APP_SECRET and the API IP whitelist in the mini-program console",
                  errcode, exc.errmsg)
        if self._on_config_error is not None:
            self._on_config_error(errcode)
        raise WeChatMisconfigured(f"WeChat refuses our configuration: {exc}", errcode) from exc


def _remember_config_error(app):
    def remember(errcode):
        try:
            queues.broker(app).connection.set(CONFIG_ERROR_KEY, errcode, ex=CONFIG_ERROR_TTL)
        except redis.RedisError as exc:
            log.warning("Redis unavailable to record the WeChat configuration error: %s", exc)
    return remember


def last_config_error():
    """The errcode of a configuration error seen by any process in the last minutes, or None."""
    try:
        value = queues.connection().get(CONFIG_ERROR_KEY)
    except redis.RedisError:
        return None
    return int(value) if value is not None else None


def init_app(app):
    storage = SharedTokenStorage(lambda: queues.broker(app))
    gateway = WeChatGateway(app.config["WECHAT_APP_ID"], app.config["WECHAT_APP_SECRET"],
                            app.config["WECHAT_TIMEOUT"], session_storage=storage,
                            callback_token=app.config["WECHAT_CALLBACK_TOKEN"],
                            miniprogram_state=app.config["WECHAT_MINIPROGRAM_STATE"],
                            on_config_error=_remember_config_error(app),
                            callback_aes_key=app.config["WECHAT_CALLBACK_AES_KEY"],
                            api_base=app.config["WECHAT_API_BASE"])
    if not gateway.configured:
        log.warning("WeChat credentials are not set: WeChat login is unavailable (use dev-login, "
                    "DEV_LOGIN=1), subscribe messages are recorded as not sent and content "
                    "checks as skipped. Development only.")
    elif app.config["WECHAT_MEDIA_CHECK"] and not gateway.callback_token:
        log.warning("WECHAT_CALLBACK_TOKEN is not set: WeChat's image-check results cannot be "
                    "verified, so images stay pending until staff review them.")
    app.extensions["wechat"] = gateway


def gateway():
    return current_app.extensions["wechat"]
