"""WeChat misbehaving while a message is pushed: a real worker runs the outbox, wechatpy runs
for real and `responses` plays WeChat. For each fault the number of HTTP calls is counted
(retries are bounded), and the message is in the resident's inbox with what became of it.

The test settings allow JOB_RETRY_MAX=2 retries, so a fault that never clears costs exactly
three calls to subscribeMessage.send.
"""
from functools import partial

import pytest
import requests
import responses

from server.models import Notification, OutboxMessage
from tests import wechat_http
from tests.jobs.worker import committee_api, pending_membership, work

ATTEMPTS = 3  # the first run and JOB_RETRY_MAX=2 retries
GIVEN_UP = "微信推送失败，请以此处消息为准"

# A fault the outbox retries (WeChatUnavailable): the way it reaches wechatpy.
TRANSIENT = {
    "timeout": dict(failure=requests.exceptions.ReadTimeout("read timed out")),
    "connection refused": dict(failure=requests.exceptions.ConnectionError("refused")),
    "HTTP 502": dict(status=502, raw="<html>502 Bad Gateway</html>"),
    "HTTP 500": dict(status=500, raw=""),
    "malformed JSON": dict(raw='{"errcode": 0, "errmsg": "ok", "msgid": 12'),
    "an HTML page with 200": dict(raw="<html><body>维护中</body></html>"),
    "45009 quota spent": dict(errcode=45009),
    "-1 system busy": dict(errcode=-1),
}


def approve(api, org):
    membership = pending_membership(org)
    response = committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    assert response.status_code == 200, response.json


def push(answers):
    """Run the worker with WeChat answering subscribeMessage.send with `answers` in turn (the
    last one repeated); return the number of token fetches and send calls."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wechat_http.add_token(rsps, token="TOKEN-1")
        wechat_http.add_token(rsps, token="TOKEN-2")
        for answer in answers:
            wechat_http.add_subscribe_send(rsps, **answer)
        work()
        return (len(wechat_http.calls_to(rsps, wechat_http.TOKEN_URL)),
                len(wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL)))


def inbox(api, record=None):
    listed = api.as_resident("applicant-1").get("/api/v1/notifications")
    if record is not None:  # the mini-program's inbox page is tested against these answers
        record(listed)
    assert listed.status_code == 200
    [item] = listed.json["items"]  # nothing lost: the message is there whatever WeChat did
    assert item["title"] == "入住申请已通过"
    return item["delivery"], item["delivery_label"]


def outcome(db):
    notification = db.session.execute(db.select(Notification)).scalar_one()
    row = db.session.execute(db.select(OutboxMessage)).scalar_one()
    return notification, row


@pytest.mark.parametrize("fault", TRANSIENT.values(), ids=TRANSIENT.keys())
def test_a_fault_that_never_clears_is_tried_three_times_then_shown_as_not_pushed(
        api, db, org, fault):
    approve(api, org)
    assert push([fault]) == (1, ATTEMPTS)
    notification, row = outcome(db)
    assert row.state == "failed" and row.attempts == ATTEMPTS
    assert notification.delivery == "failed" and notification.delivery_attempts == ATTEMPTS
    assert notification.delivery_errcode == fault.get("errcode")
    assert inbox(api) == ("failed", GIVEN_UP)


@pytest.mark.parametrize("fault", TRANSIENT.values(), ids=TRANSIENT.keys())
def test_a_fault_that_clears_is_retried_once_and_the_message_sent(api, db, org, fault):
    approve(api, org)
    assert push([fault, {}]) == (1, 2)
    notification, row = outcome(db)
    assert row.state == "done" and row.attempts == 2
    assert notification.delivery == "sent" and notification.delivery_attempts == 2
    assert inbox(api) == ("sent", "已推送到微信")


@pytest.mark.parametrize("errcode", [40001, 42001])
def test_a_rejected_token_is_fetched_again_and_the_same_run_sends(api, db, org, errcode):
    approve(api, org)
    assert push([{"errcode": errcode}, {}]) == (2, 2)
    notification, row = outcome(db)
    assert row.state == "done" and row.attempts == 1  # no job retry: the gateway's one retry
    assert notification.delivery == "sent"
    assert inbox(api) == ("sent", "已推送到微信")


def test_a_token_rejected_again_after_the_refresh_is_not_tried_a_third_time(api, db, org):
    approve(api, org)
    assert push([{"errcode": 40001}]) == (2, 2)
    notification, row = outcome(db)
    assert row.state == "done" and row.attempts == 1
    assert notification.delivery == "failed" and notification.delivery_errcode == 40001
    assert inbox(api) == ("failed", GIVEN_UP)


def test_a_resident_who_has_not_subscribed_is_told_in_the_inbox_only(api, db, org, record):
    approve(api, org)
    assert push([{"errcode": 43101}]) == (1, 1)
    notification, row = outcome(db)
    assert row.state == "done" and row.attempts == 1
    assert notification.delivery == "not_subscribed" and notification.delivery_errcode == 43101
    assert inbox(api, partial(record, "notifications_not_subscribed")) == (
        "not_subscribed", "未推送：未订阅此类微信消息")


def test_between_retries_the_inbox_says_the_push_will_be_tried_again(make_app, db, org):
    from tests.builders import ApiClient

    later = make_app(JOB_RETRY_INTERVALS=[3600])
    api = ApiClient(later.test_client())
    approve(api, org)
    with later.app_context():
        assert push([{"errcode": 45009}]) == (1, 1)
    notification, row = outcome(db)
    assert row.state == "enqueued" and row.attempts == 1  # waiting its hour in RQ's schedule
    assert notification.delivery == "pending" and notification.delivery_errcode == 45009
    assert inbox(api) == ("pending", "微信暂时不可用，稍后重试推送")


def test_an_operator_retry_of_a_given_up_message_sends_it(app, api, db, org, record):
    approve(api, org)
    assert push([{"errcode": 45009}]) == (1, ATTEMPTS)
    assert inbox(api, partial(record, "notifications_push_failed")) == ("failed", GIVEN_UP)
    _, row = outcome(db)
    retried = app.test_cli_runner().invoke(args=["outbox", "retry", str(row.id), "--reason",
                                                 "微信已恢复"])
    assert retried.exit_code == 0, retried.output
    assert inbox(api)[0] == "pending"
    assert push([{}]) == (0, 1)  # the token is still in Redis
    notification, row = outcome(db)
    assert row.state == "done" and notification.delivery == "sent"
    assert inbox(api) == ("sent", "已推送到微信")
