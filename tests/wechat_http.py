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
