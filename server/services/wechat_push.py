"""Accepting a push from WeChat's servers (the message-push URL) only once, only fresh, and in
production only in safe mode.

In plaintext mode WeChat's signature covers the token, timestamp and nonce but not the body, so
a captured query could be replayed with any body. Hence: a push older or newer than
WECHAT_CALLBACK_MAX_AGE is refused, each (timestamp, nonce) is accepted once (Redis SET NX with
an expiry), and with WECHAT_CALLBACK_AES_KEY set (required in production) the body must be
encrypted and signed (msg_signature over the Encrypt field), checked with wechatpy's
WeChatCrypto.
"""
import json

import redis
import xmltodict
from flask import current_app

from server import queues, wechat
from server.errors import BadRequest, Forbidden, ServiceUnavailable
from server.models.base import utcnow

NONCE_KEY = "wechat:push-nonce:{timestamp}:{nonce}"


def verify(args):
    """The query's signature, freshness and first use; 403 for any failure."""
    max_age = current_app.config["WECHAT_CALLBACK_MAX_AGE"]
    try:
        age = abs(utcnow().timestamp() - int(args["timestamp"]))
    except ValueError:
        age = None
    if age is None or age > max_age:
        raise Forbidden("推送已过期", slug="stale_push")
    if not wechat.gateway().signature_ok(args["signature"], args["timestamp"], args["nonce"]):
        raise Forbidden("签名无效", slug="bad_signature")
    key = NONCE_KEY.format(timestamp=args["timestamp"], nonce=args["nonce"][:64])
    try:
        # Kept for twice the window, so it outlives any timestamp still accepted.
        first = queues.connection().set(key, 1, nx=True, ex=2 * max_age)
    except redis.RedisError as exc:
        # WeChat retries a push that fails; better late than accepted twice.
        raise ServiceUnavailable("暂时无法处理推送", slug="push_unavailable") from exc
    if not first:
        raise Forbidden("重复的推送", slug="replayed_push")


def read(args, raw):
    """The event a verified push carries: decrypted in safe mode, as sent otherwise."""
    event = _parse(raw)
    gateway = wechat.gateway()
    if not gateway.safe_mode:
        return event
    if args.get("encrypt_type") != "aes" or not args.get("msg_signature"):
        raise Forbidden("仅接受安全模式（加密）推送", slug="plaintext_push_refused")
    plaintext = gateway.decrypt_push(event, args["msg_signature"], args["timestamp"],
                                     args["nonce"])
    if plaintext is None:
        raise Forbidden("签名无效", slug="bad_signature")
    return _parse(plaintext.encode("utf-8") if isinstance(plaintext, str) else plaintext)


def _parse(raw):
    text = raw.decode("utf-8", "replace").strip()
    try:
        if text.startswith("<"):
            event = xmltodict.parse(text).get("xml")
        else:
            event = json.loads(text)
    except (ValueError, xmltodict.expat.ExpatError):
        event = None
    if not isinstance(event, dict):
        raise BadRequest("推送内容无法解析", slug="bad_push")
    return event
