"""A push from WeChat is accepted once, only fresh, and in safe mode only encrypted and signed:
a signed query from 2017 reused with a forged body must not settle a content check."""
import json

import pytest

from server.models import ContentCheck
from tests import wechat_http
from tests.api.test_wechat_callbacks import URL, pending_image, push
from tests.conftest import CALLBACK_TOKEN, WECHAT_APP_ID

AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"


def status(db, check):
    db.session.refresh(check)
    return check.status


def test_a_stale_push_is_refused(client, db, org):
    check = pending_image(db, org)
    old = wechat_http.signed_query(CALLBACK_TOKEN, timestamp="1500000000")  # 2017
    response = push(client, wechat_http.media_check_event("trace-1", "pass"), query=old)
    assert response.status_code == 403 and response.json["error"] == "stale_push"
    assert status(db, check) == "pending"


def test_a_push_from_the_future_is_refused(client, db, org):
    import time
    ahead = wechat_http.signed_query(CALLBACK_TOKEN, timestamp=str(int(time.time()) + 3600))
    response = push(client, wechat_http.media_check_event("trace-1", "pass"), query=ahead)
    assert response.status_code == 403 and response.json["error"] == "stale_push"


def test_a_replayed_query_with_another_body_is_refused(client, db, org, redis_conn):
    check = pending_image(db, org)
    query = wechat_http.signed_query(CALLBACK_TOKEN)
    first = push(client, wechat_http.media_check_event("trace-other", "risky"), query=query)
    assert first.status_code == 200
    forged = push(client, wechat_http.media_check_event("trace-1", "pass"), query=query)
    assert forged.status_code == 403 and forged.json["error"] == "replayed_push"
    assert status(db, check) == "pending"
    [key] = redis_conn.keys("wechat:push-nonce:*")
    assert 0 < redis_conn.ttl(key) <= 600


def test_a_non_numeric_timestamp_is_refused(client):
    query = wechat_http.signed_query(CALLBACK_TOKEN, timestamp="yesterday")
    assert client.get(URL, query_string=query).status_code == 403


@pytest.fixture
def safe(make_app):
    return make_app(WECHAT_CALLBACK_AES_KEY=AES_KEY).test_client()


@pytest.mark.parametrize("envelope", ["json", "xml"])
def test_safe_mode_push_is_decrypted_and_applied(safe, db, org, envelope):
    check = pending_image(db, org)
    event = json.dumps(wechat_http.media_check_event("trace-1", "risky", label=20002))
    query, body = wechat_http.encrypted_push(CALLBACK_TOKEN, AES_KEY, WECHAT_APP_ID, event,
                                             envelope=envelope)
    content_type = "application/json" if envelope == "json" else "text/xml"
    response = safe.post(URL, query_string=query, data=body, content_type=content_type)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert status(db, check) == "risky"


def test_safe_mode_refuses_a_plaintext_push(safe, db, org):
    check = pending_image(db, org)
    response = push(safe, wechat_http.media_check_event("trace-1", "pass"))
    assert response.status_code == 403 and response.json["error"] == "plaintext_push_refused"
    assert status(db, check) == "pending"


def test_safe_mode_refuses_a_body_the_msg_signature_does_not_cover(safe, db, org):
    check = pending_image(db, org)
    signed_query, _ = wechat_http.encrypted_push(
        CALLBACK_TOKEN, AES_KEY, WECHAT_APP_ID,
        json.dumps(wechat_http.media_check_event("trace-other", "risky")))
    # A body encrypted with the right key but signed for another push.
    _, forged_body = wechat_http.encrypted_push(
        CALLBACK_TOKEN, AES_KEY, WECHAT_APP_ID,
        json.dumps(wechat_http.media_check_event("trace-1", "pass")))
    response = safe.post(URL, query_string=signed_query, data=forged_body,
                         content_type="application/json")
    assert response.status_code == 403 and response.json["error"] == "bad_signature"
    assert status(db, check) == "pending"
    assert db.session.execute(db.select(db.func.count(ContentCheck.id))).scalar_one() == 1
