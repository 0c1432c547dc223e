"""WeChat that accepts a connection and never answers costs a call WECHAT_TIMEOUT seconds,
never a thread: every request wechatpy makes, the access token's included, has a timeout."""
import pytest

from server import wechat
from tests.faults.procs import TOKEN_PATH, WeChatRecorder


@pytest.fixture
def silent_wechat():
    recorder = WeChatRecorder().start()
    yield recorder
    recorder.stop()


def gateway_for(recorder):
    return wechat.WeChatGateway("wx-app", "wx-secret", timeout=1, api_base=recorder.url)


def test_a_hung_token_fetch_is_a_timeout_not_a_hang(silent_wechat):
    silent_wechat.hold(TOKEN_PATH)
    with pytest.raises(wechat.WeChatUnavailable, match="Timeout"):
        gateway_for(silent_wechat).send_subscribe_message("openid-1", "TPL", {"thing1": "x"})
    assert [path for path, _ in silent_wechat.calls] == [TOKEN_PATH]


def test_a_hung_login_call_is_a_timeout_not_a_hang(silent_wechat):
    silent_wechat.hold("/sns/jscode2session")
    with pytest.raises(wechat.WeChatUnavailable, match="Timeout"):
        gateway_for(silent_wechat).code_to_session("js-code")
