"""Content checks run by a real worker: text through msgSecCheck v2, images submitted to
mediaCheckAsync; a WeChat outage keeps content pending and retried, never published."""
import json

import requests
import responses
from rq.registry import FailedJobRegistry

from server import queues
from server.auth import Actor
from server.models import Community, OutboxMessage
from server.services import content_checks, outbox
from tests import wechat_http
from tests.builders import make_member, make_resident, make_staff
from tests.jobs.worker import work


def submit(db, org, media="text", content="楼道里堆放了杂物", openid="author-1"):
    author = make_member(org.community, openid=openid)
    submit_fn = content_checks.submit_text if media == "text" else content_checks.submit_image
    check = submit_fn(author, content, "report", "7", community=org.community)
    db.session.commit()
    return check


def test_passed_text_becomes_public(app, db, org):
    check = submit(db, org)
    assert check.status == "pending" and not content_checks.visible_to(None, check)
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_msg_sec_check(rsps, suggest="pass")
        work()
        body = json.loads(wechat_http.calls_to(rsps, wechat_http.MSG_SEC_CHECK_URL)[0]
                          .request.body)
    assert body["openid"] == "author-1" and body["version"] == 2
    db.session.refresh(check)
    assert check.status == "passed" and content_checks.visible_to(None, check)


def test_risky_text_is_held_visible_to_its_author_and_staff_only(app, db, org):
    check = submit(db, org)
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_msg_sec_check(rsps, suggest="review", label=20006)
        work()
    db.session.refresh(check)
    assert check.status == "risky" and check.label == 20006
    author = Actor(resident=check.author)
    stranger = Actor(resident=make_resident("stranger"))
    committee = Actor(staff=make_staff("committee", "XH-TP-R01"))
    far_staff = Actor(staff=make_staff("street", "JA-CJ"))
    assert content_checks.visible_to(author, check)
    assert content_checks.visible_to(committee, check)
    assert not content_checks.visible_to(stranger, check)
    assert not content_checks.visible_to(far_staff, check)
    assert not content_checks.visible_to(None, check)


def test_wechat_outage_keeps_text_pending_then_it_is_checked_again(make_app, db, org):
    check = submit(db, org)
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_msg_sec_check(rsps, failure=requests.ConnectionError("down"))
        work()
    db.session.refresh(check)
    assert check.status == "pending" and check.attempts == 3
    [row] = db.session.execute(db.select(OutboxMessage)).scalars().all()
    assert row.state == "failed" and row.attempts == 3 and "WeChatUnavailable" in row.last_error
    assert FailedJobRegistry(queue=queues.queue("default")).count == 0
    # Later the periodic sweep submits it again, and WeChat is back.
    stale = make_app(CONTENT_CHECK_STALE_MINUTES=0)
    with stale.app_context():
        assert content_checks.retry_stale() == 1
    with responses.RequestsMock() as rsps:
        wechat_http.add_msg_sec_check(rsps, suggest="pass")
        work()
    db.session.refresh(check)
    assert check.status == "passed"


def test_image_is_submitted_for_an_async_check_and_waits(app, db, org):
    check = submit(db, org, media="image", content="https://example.org/photos/1.jpg")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_media_check_async(rsps, trace_id="trace-abc")
        work()
        body = json.loads(rsps.calls[-1].request.body)
    assert body["media_url"] == "https://example.org/photos/1.jpg"
    assert body["media_type"] == 2 and body["version"] == 2 and body["openid"] == "author-1"
    db.session.refresh(check)
    assert check.status == "pending" and check.trace_id == "trace-abc"


def test_checks_are_skipped_visibly_without_wechat_credentials(make_app, db, org):
    bare = make_app(WECHAT_APP_ID="", WECHAT_APP_SECRET="")
    community_id = org.community.id
    with bare.app_context():
        community = db.session.get(Community, community_id)
        author = make_member(community, openid="author-1")
        check = content_checks.submit_text(author, "文字", "report", community=community)
        db.session.commit()
        assert check.status == "skipped" and "未配置微信" in check.last_error
        assert content_checks.visible_to(None, check)


def test_safety_net_resubmits_an_image_whose_verdict_never_came(make_app, db, org):
    # The first submission went out (its outbox row is done) but WeChat's callback was lost:
    # the safety net must promise a new submission, not get the old row back by its key.
    check = submit(db, org, media="image", content="https://example.org/photos/1.jpg")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_media_check_async(rsps, trace_id="trace-lost")
        work()
    stale = make_app(CONTENT_CHECK_STALE_MINUTES=0)
    with stale.app_context():
        assert content_checks.retry_stale() == 1
        assert content_checks.retry_stale() == 0  # the new row is in hand: not twice
    with responses.RequestsMock() as rsps:
        wechat_http.add_media_check_async(rsps, trace_id="trace-second")
        work()
    rows = db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
    assert [row.state for row in rows] == ["done", "done"]
    db.session.refresh(check)
    assert check.trace_id == "trace-second" and check.attempts == 2


def test_safety_net_leaves_a_check_whose_row_redis_lost_to_the_reconciler(make_app, db, org,
                                                                          redis_conn):
    check = submit(db, org)
    assert outbox.relay() == 1
    redis_conn.flushdb()  # Redis forgets the job; the row still says enqueued
    stale = make_app(CONTENT_CHECK_STALE_MINUTES=0, OUTBOX_LEASE_SECONDS=4)
    with stale.app_context():
        assert content_checks.retry_stale() == 0
    [row] = db.session.execute(db.select(OutboxMessage)).scalars().all()
    assert row.state == "enqueued"
    # Once its lease has run out, the reconciler enqueues it again and it is checked once.
    row.lease_until = row.enqueued_at
    db.session.commit()
    assert outbox.relay() == 1
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_msg_sec_check(rsps, suggest="pass")
        work()
        assert len(wechat_http.calls_to(rsps, wechat_http.MSG_SEC_CHECK_URL)) == 1
    db.session.refresh(check)
    assert check.status == "passed"
