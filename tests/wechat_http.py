"""WeChat's HTTP API as `responses` intercepts it: real wechatpy, recorded answers."""
import re

import responses

TOKEN_URL = "https://api.weixin.qq.com/cgi-bin/token"
CODE2SESSION_URL = "https://api.weixin.qq.com/sns/jscode2session"


def add_token(rsps, token="ACCESS_TOKEN_1", expires_in=7200):
    rsps.add(responses.GET, TOKEN_URL, json={"access_token": token, "expires_in": expires_in})


def add_code2session(rsps, openid="o-wx-openid-1", unionid=None, errcode=None, failure=None,
                     **kwargs):
    url = re.compile(re.escape(CODE2SESSION_URL) + r".*")
    if failure is not None:
        # An exception instance as body: responses raises it, as requests would on a dead link.
        rsps.add(responses.GET, url, body=failure)
        return
    if errcode is not None:
        body = {"errcode": errcode, "errmsg": "invalid code"}
    else:
        body = {"openid": openid, "session_key": "SECRET-SESSION-KEY"}
        if unionid:
            body["unionid"] = unionid
    rsps.add(responses.GET, url, json=body, **kwargs)


SUBSCRIBE_URL = "https://api.weixin.qq.com/cgi-bin/message/subscribe/send"
MSG_SEC_CHECK_URL = "https://api.weixin.qq.com/wxa/msg_sec_check"
MEDIA_CHECK_URL = "https://api.weixin.qq.com/wxa/media_check_async"
PHONE_URL = "https://api.weixin.qq.com/wxa/business/getuserphonenumber"


def _post(rsps, url, body=None, failure=None, **kwargs):
    pattern = re.compile(re.escape(url) + r".*")
    if failure is not None:
        rsps.add(responses.POST, pattern, body=failure)
    else:
        rsps.add(responses.POST, pattern, json=body, **kwargs)


def add_subscribe_send(rsps, errcode=0, failure=None, status=None, raw=None):
    """One answer to subscribeMessage.send: an errcode, an exception raised on the wire
    (`failure`), or an HTTP status and a raw body as a proxy in the way would answer."""
    if status is not None or raw is not None:
        rsps.add(responses.POST, re.compile(re.escape(SUBSCRIBE_URL) + r".*"),
                 status=status or 200, body=raw or "", content_type="text/html")
        return
    body = {"errcode": errcode, "errmsg": "ok" if errcode == 0 else "error"}
    if errcode == 0:
        body["msgid"] = 1234567
    _post(rsps, SUBSCRIBE_URL, body, failure)


def add_msg_sec_check(rsps, suggest="pass", label=100, errcode=0, failure=None):
    body = {"errcode": errcode, "errmsg": "ok", "trace_id": "text-trace-1"}
    if errcode == 0:
        body["result"] = {"suggest": suggest, "label": label}
    _post(rsps, MSG_SEC_CHECK_URL, body, failure)


def add_media_check_async(rsps, trace_id="media-trace-1", errcode=0, failure=None):
    body = {"errcode": errcode, "errmsg": "ok"}
    if errcode == 0:
        body["trace_id"] = trace_id
    _post(rsps, MEDIA_CHECK_URL, body, failure)


def add_phone_number(rsps, phone="13800138000", errcode=0, failure=None):
    body = {"errcode": errcode, "errmsg": "ok"}
    if errcode == 0:
        body["phone_info"] = {"phoneNumber": phone, "purePhoneNumber": phone,
                              "countryCode": "86",
                              "watermark": {"timestamp": 1700000000, "appid": "wx-test-appid"}}
    _post(rsps, PHONE_URL, body, failure)


def calls_to(rsps, url):
    return [call for call in rsps.calls if call.request.url.startswith(url)]


def signed_query(token, timestamp=None, nonce=None, **extra):
    """The query string WeChat puts on a push to our callback URL, signed with `token`: now,
    with a nonce of its own (a push is accepted once)."""
    import time
    import uuid

    from wechatpy.utils import WeChatSigner

    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or uuid.uuid4().hex[:10]
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    return {"signature": signer.signature, "timestamp": timestamp, "nonce": nonce, **extra}


def media_check_event(trace_id, suggest="pass", label=100, errcode=0):
    """A mediaCheckAsync v2 result as WeChat pushes it (JSON format)."""
    return {"ToUserName": "gh_test", "FromUserName": "o-author", "CreateTime": 1700000000,
            "MsgType": "event", "Event": "wxa_media_check", "appid": "wx-test-appid",
            "trace_id": trace_id, "version": 2, "errcode": errcode, "errmsg": "ok",
            "result": {"suggest": suggest, "label": label},
            "detail": [{"strategy": "content_model", "errcode": 0, "suggest": suggest,
                        "label": label, "prob": 90}]}


def encrypted_push(token, aes_key, app_id, plaintext, envelope="json", **query_extra):
    """A safe-mode push as WeChat sends it: (query, body). The body carries only the
    encrypted event (Encrypt); msg_signature signs it with the token, timestamp and nonce."""
    import xmltodict
    from wechatpy.crypto import WeChatCrypto

    query = signed_query(token, **query_extra)
    sealed = WeChatCrypto(token, aes_key, app_id).encrypt_message(
        plaintext, query["nonce"], query["timestamp"])
    parts = xmltodict.parse(sealed)["xml"]
    query.update(encrypt_type="aes", msg_signature=parts["MsgSignature"])
    if envelope == "json":
        import json
        body = json.dumps({"ToUserName": "gh_test", "Encrypt": parts["Encrypt"]})
    else:
        body = (f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName>"
                f"<Encrypt><![CDATA[{parts['Encrypt']}]]></Encrypt></xml>")
    return query, body
