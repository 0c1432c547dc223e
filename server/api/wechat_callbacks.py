"""What WeChat's servers send us (the message-push URL), and the integration's state for staff.

Configure the push URL in the mini-program console (开发管理 > 开发设置 > 消息推送) as
https://<host>/api/v1/wechat/callback with the Token in WECHAT_CALLBACK_TOKEN, the
EncodingAESKey in WECHAT_CALLBACK_AES_KEY, safe mode (安全模式), data format JSON or XML.
Every request must carry WeChat's signature of that token, a fresh timestamp and an unused
nonce, and in safe mode an encrypted body signed by msg_signature; anything else is 403 and
changes nothing (server/services/wechat_push.py).
"""
import logging

from flask import Response, request
from flask_smorest import Blueprint

from server.api.docs import authenticated, errors
from server.auth import requires
from server.http import NON_JSON_ENDPOINTS
from server.schemas.wechat import CallbackArgs, SubscribeTemplatesOut, WeChatStatusOut
from server.services import content_checks, notifications, wechat_push

log = logging.getLogger(__name__)

blp = Blueprint("wechat", __name__, url_prefix="/api/v1/wechat",
                description="微信服务器推送（内容安全检测结果）、微信接入状态与订阅消息模板")
# WeChat posts XML or JSON with whatever content type it likes.
NON_JSON_ENDPOINTS.add("wechat.receive")

_TEXT_OK = {"200": {"description": "纯文本应答", "content": {"text/plain": {
    "schema": {"type": "string"}}}}}


@blp.route("/callback", methods=["GET"])
@blp.arguments(CallbackArgs, location="query")
@blp.doc(responses=_TEXT_OK)
@errors(blp, 403, 422, 503)
def verify_url(args):
    """WeChat's check of the push URL: answer its echostr when the signature is ours."""
    wechat_push.verify(args)
    return Response(args.get("echostr", ""), mimetype="text/plain")


@blp.route("/callback", methods=["POST"])
@blp.arguments(CallbackArgs, location="query")
@blp.doc(responses=_TEXT_OK)
@errors(blp, 400, 403, 422, 503)
def receive(args):
    """An event pushed by WeChat; mediaCheckAsync results settle the content they are about."""
    wechat_push.verify(args)
    event = wechat_push.read(args, request.get_data())
    if "Encrypt" in event and "Event" not in event:
        log.warning("WeChat pushed an encrypted message but WECHAT_CALLBACK_AES_KEY is not set")
    content_checks.apply_media_callback(event)
    return Response("success", mimetype="text/plain")


@blp.route("/status", methods=["GET"])
@blp.response(200, WeChatStatusOut)
@authenticated(blp, 403)
@requires("staff")
def status(actor):
    """Whether WeChat is configured, which checks and templates are on, and how messages to
    residents in my scope fared: in development without credentials this shows that messages
    were not sent and content was not checked."""
    return notifications.wechat_status(actor.staff)


@blp.route("/templates", methods=["GET"])
@blp.response(200, SubscribeTemplatesOut)
@authenticated(blp)
@requires()
def templates(actor):
    """The subscribe-message template ids in use, by kind: what the app may ask residents to
    subscribe to (wx.requestSubscribeMessage)."""
    return notifications.subscribe_templates()
