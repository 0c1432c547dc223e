"""Approving a membership tells the resident: an inbox row, an outbox row, a subscribe message
sent by a real worker through wechatpy (HTTP intercepted by responses)."""
import json

import requests
import responses
from rq.registry import FailedJobRegistry

from server import queues
from server.models import Notification, OutboxMessage
from server.services import outbox
from tests import wechat_http
from tests.builders import ApiClient
from tests.jobs.worker import committee_api, pending_membership, work


def one(db, model):
    return db.session.execute(db.select(model)).scalar_one()


def test_approval_writes_the_notification_and_its_outbox_row_with_the_decision(api, db, org):
    membership = pending_membership(org)
    response = committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    assert response.status_code == 200
    notification = one(db, Notification)
    assert notification.resident_id == membership.resident_id
    assert notification.kind == "membership_decided" and notification.delivery == "pending"
    assert notification.title == "入住申请已通过"
    row = one(db, OutboxMessage)
    assert row.kind == "notification.deliver"
    assert row.payload == {"notification_id": notification.id}
    # The commit kicked the relay: a relay job is waiting on the default queue.
    assert queues.queue("default").count == 1


def test_worker_sends_the_approval_as_a_subscribe_message(api, db, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        work()
        sent = wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL)
    assert len(sent) == 1
    body = json.loads(sent[0].request.body)
    assert body["touser"] == "applicant-1" and body["template_id"] == "TPL-MEMBERSHIP"
    assert body["data"]["thing1"] == {"value": "建业里"}
    assert body["data"]["phrase2"] == {"value": "已通过"}
    assert body["page"] == "pages/mine/index" and body["lang"] == "zh_CN"
    notification = one(db, Notification)
    assert notification.delivery == "sent" and notification.delivered_at is not None
    assert one(db, OutboxMessage).state == "done"


def test_rejection_reason_reaches_the_resident(api, db, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/reject",
                                 json={"reason": "房号与登记不符"})
    notification = one(db, Notification)
    assert notification.title == "入住申请未通过" and "房号与登记不符" in notification.body


def test_duplicate_delivery_changes_nothing(api, db, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        work()
        notification = one(db, Notification)
        first = (notification.delivery, notification.delivered_at,
                 notification.delivery_attempts)
        # The same row's job delivered again, as a crashed relay or a requeue would.
        row = one(db, OutboxMessage)
        queues.queue("notify").enqueue(outbox.RUN_JOB, kwargs={"outbox_id": row.id})
        work()
        sent = wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL)
    assert len(sent) == 1
    db.session.refresh(notification)
    assert (notification.delivery, notification.delivered_at,
            notification.delivery_attempts) == first


def test_user_who_has_not_subscribed_is_recorded_and_not_retried(api, db, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps, errcode=43101)
        work()
        sent = wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL)
    assert len(sent) == 1
    notification = one(db, Notification)
    assert notification.delivery == "not_subscribed" and notification.delivery_errcode == 43101
    assert FailedJobRegistry(queue=queues.queue("notify")).count == 0


def test_rate_limit_backs_off_and_the_retry_sends(api, db, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps, errcode=45009)
        wechat_http.add_subscribe_send(rsps)
        work()
        sent = wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL)
    assert len(sent) == 2
    notification = one(db, Notification)
    assert notification.delivery == "sent" and notification.delivery_attempts == 2


def test_delivery_that_keeps_failing_is_retried_bounded_then_failed_visibly_and_retried(app, api, db, org):
    membership = pending_membership(org)
    committee = committee_api(api, org)
    committee.post(f"/api/v1/memberships/{membership.id}/approve")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps, failure=requests.ConnectionError("down"))
        work()
        attempts = len(wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL))
    assert attempts == 3  # the first run and JOB_RETRY_MAX=2 retries
    notification = one(db, Notification)
    assert notification.delivery == "failed" and notification.delivery_attempts == 3
    row = one(db, OutboxMessage)
    assert row.state == "failed" and row.attempts == 3
    # Failed for good is visible: in the figures staff see, and to the operator's command.
    assert committee.get("/api/v1/wechat/status").json["outbox"]["failed"] == 1
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["outbox", "list", "--state", "failed"])
    assert listed.exit_code == 0 and "notification.deliver" in listed.output
    retried = runner.invoke(args=["outbox", "retry", str(row.id), "--reason", "微信已恢复"])
    assert retried.exit_code == 0, retried.output
    with responses.RequestsMock() as rsps:
        wechat_http.add_subscribe_send(rsps)
        work()
    db.session.refresh(notification)
    db.session.refresh(row)
    assert notification.delivery == "sent" and row.state == "done" and row.attempts == 1
    assert FailedJobRegistry(queue=queues.queue("notify")).count == 0


def test_message_for_a_resident_who_left_is_not_sent(api, db, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    resident_api = api.as_resident("applicant-1")
    assert resident_api.post(f"/api/v1/memberships/{membership.id}/leave").status_code == 200
    with responses.RequestsMock() as rsps:  # any call to WeChat would fail the test
        work()
    assert one(db, Notification).delivery == "recipient_left"


def test_without_wechat_credentials_the_message_is_recorded_as_not_sent(make_app, db, org):
    bare = make_app(WECHAT_APP_ID="", WECHAT_APP_SECRET="")
    membership = pending_membership(org)
    committee = committee_api(ApiClient(bare.test_client()), org)
    assert committee.post(f"/api/v1/memberships/{membership.id}/approve").status_code == 200
    with bare.app_context(), responses.RequestsMock():
        work(bare)
    notification = one(db, Notification)
    assert notification.delivery == "not_configured"
    status = committee.get("/api/v1/wechat/status").json
    assert status["configured"] is False
    assert status["deliveries"] == {"not_configured": 1}
