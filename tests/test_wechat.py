"""The WeChat gateway: a shared access token in Redis, refreshed once on 40001/42001."""
import pytest
import responses

from server import queues, wechat
from tests import wechat_http


@pytest.mark.parametrize("errcode", [40001, 42001])
def test_rejected_token_is_refreshed_and_the_call_retried_once(app, errcode):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps, token="OLD")
        wechat_http.add_token(rsps, token="NEW")
        wechat_http.add_subscribe_send(rsps, errcode=errcode)
        wechat_http.add_subscribe_send(rsps)
        wechat.gateway().send_subscribe_message("o-1", "TPL", {"thing1": "x"})
        sent = wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL)
    assert len(sent) == 2
    assert "access_token=OLD" in sent[0].request.url
    assert "access_token=NEW" in sent[1].request.url


def test_token_rejected_again_after_refresh_is_not_retried_a_third_time(app):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps, errcode=40001)
        with pytest.raises(wechat.WeChatRejected) as raised:
            wechat.gateway().send_subscribe_message("o-1", "TPL", {"thing1": "x"})
        assert len(wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL)) == 2
        assert len(wechat_http.calls_to(rsps, wechat_http.TOKEN_URL)) == 2
    assert raised.value.errcode == 40001


def test_not_subscribed_is_rejected_without_a_retry(app):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps, errcode=43101)
        with pytest.raises(wechat.WeChatRejected) as raised:
            wechat.gateway().send_subscribe_message("o-1", "TPL", {"thing1": "x"})
        assert len(wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL)) == 1
    assert raised.value.errcode == wechat.NOT_SUBSCRIBED


def test_rate_limit_is_unavailable_so_the_job_backs_off(app):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps, errcode=45009)
        with pytest.raises(wechat.WeChatUnavailable):
            wechat.gateway().send_subscribe_message("o-1", "TPL", {"thing1": "x"})


def test_processes_share_the_access_token_through_redis(app, make_app):
    other = make_app()
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps, token="SHARED")
        wechat_http.add_subscribe_send(rsps)
        wechat_http.add_subscribe_send(rsps)
        wechat.gateway().send_subscribe_message("o-1", "TPL", {"thing1": "x"})
        other.extensions["wechat"].send_subscribe_message("o-1", "TPL", {"thing1": "x"})
        assert len(wechat_http.calls_to(rsps, wechat_http.TOKEN_URL)) == 1
        assert "access_token=SHARED" in rsps.calls[-1].request.url
    assert queues.connection().get(f"wechatpy:{app.config['WECHAT_APP_ID']}_access_token")


def test_redis_down_keeps_the_token_in_memory_and_login_works(make_app):
    down = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, openid="o-down")
        response = down.test_client().post("/api/v1/auth/wechat-login", json={"code": "c"})
    assert response.status_code == 200


def test_text_check_sends_version_2_with_the_users_openid(app):
    import json
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_msg_sec_check(rsps, suggest="risky", label=20001)
        verdict = wechat.gateway().check_text("o-author", "一段文字", 2)
        body = json.loads(rsps.calls[-1].request.body)
    assert body == {"content": "一段文字", "version": 2, "scene": 2, "openid": "o-author"}
    assert verdict["suggest"] == "risky" and verdict["label"] == 20001


def test_callback_signature_is_checked_against_the_token(app):
    from wechatpy.utils import WeChatSigner
    signer = WeChatSigner()
    signer.add_data(app.config["WECHAT_CALLBACK_TOKEN"], "1700000000", "nonce")
    gateway = wechat.gateway()
    assert gateway.signature_ok(signer.signature, "1700000000", "nonce")
    assert not gateway.signature_ok(signer.signature, "1700000001", "nonce")
    assert not gateway.signature_ok("", "1700000000", "nonce")
