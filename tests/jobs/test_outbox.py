"""The outbox: with Redis down a request still commits and its work waits; after recovery the
relay delivers it exactly once."""
import responses
from rq.job import Job

from server import queues
from server.models import Notification, OutboxMessage
from server.services import outbox
from tests import wechat_http
from tests.builders import ApiClient
from tests.jobs.worker import committee_api, pending_membership, work

# Nothing listens on port 1: connections are refused at once, as with Redis stopped.
DEAD_REDIS = "redis://127.0.0.1:1/0"


def rows(db):
    return db.session.execute(db.select(OutboxMessage)).scalars().all()


def test_redis_down_request_succeeds_row_waits_then_is_delivered_once(make_app, db, org):
    down = make_app(REDIS_URL=DEAD_REDIS)
    membership = pending_membership(org)
    committee = committee_api(ApiClient(down.test_client()), org)
    response = committee.post(f"/api/v1/memberships/{membership.id}/approve")
    assert response.status_code == 200
    with down.app_context():
        assert outbox.relay() == 0  # the periodic relay, while Redis is still down
    [row] = rows(db)
    assert row.sent_at is None and row.attempts == 1 and "ConnectionError" in row.last_error

    # Redis is back: the next relay run moves the row, the worker sends the message.
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        assert outbox.relay() == 1
        work()
        assert outbox.relay() == 0  # a later run finds nothing left to move
        work()
        sent = wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL)
    assert len(sent) == 1
    db.session.refresh(row)
    assert row.sent_at is not None and row.job_id == f"outbox-{row.id}"
    assert db.session.execute(db.select(Notification)).scalar_one().delivery == "sent"


def test_row_enqueued_before_a_crash_is_marked_sent_without_a_second_job(api, db, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    [row] = rows(db)
    # The relay enqueued the row, then died before marking it sent.
    notify = queues.queue("notify")
    notify.enqueue("server.jobs.notify.deliver", kwargs=row.payload, job_id=f"outbox-{row.id}")
    assert outbox.relay() == 0
    db.session.refresh(row)
    assert row.sent_at is not None
    assert notify.count == 1


def test_the_same_event_added_twice_is_one_row(app, db, org):
    first = outbox.add("notification.deliver", {"notification_id": 1}, dedupe_key="event-1")
    second = outbox.add("notification.deliver", {"notification_id": 1}, dedupe_key="event-1")
    db.session.commit()
    assert first is second and len(rows(db)) == 1


def test_rolled_back_work_is_never_relayed(app, db, org):
    outbox.add("notification.deliver", {"notification_id": 1})
    db.session.rollback()
    assert rows(db) == [] and queues.queue("default").count == 0


def test_kicked_relay_runs_in_a_worker(api, db, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    [kick] = queues.queue("default").get_jobs()
    assert kick.func_name == "server.jobs.outbox.relay"
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        work()
    assert Job.fetch(kick.id, connection=queues.connection()).return_value() == 1
    assert rows(db)[0].sent_at is not None
