"""The outbox is the truth: with Redis down a request still commits and its work waits; rows
whose job Redis lost, or whose worker died, are taken back by the reconciler once their lease
runs out; each row's work is done once."""
import responses
from rq.job import Job

from server import queues
from server.models import AuditLog, Notification, OutboxMessage
from server.models.base import utcnow
from server.services import outbox, outbox_run
from tests import wechat_http
from tests.builders import ApiClient
from tests.jobs.worker import committee_api, pending_membership, work

# Nothing listens on port 1: connections are refused at once, as with Redis stopped.
DEAD_REDIS = "redis://127.0.0.1:1/0"


def rows(db):
    return db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()


def approve(api, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")


def relay_and_send():
    """Run the relay once (it must enqueue one job) and a worker; return the messages sent."""
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        assert outbox.relay() == 1
        work()
        return len(wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL))


def lapse(db, row):
    """Let the row's lease run out (as time passing would)."""
    row.lease_until = row.enqueued_at
    db.session.commit()


def test_redis_down_request_succeeds_row_waits_then_is_delivered_once(make_app, db, org):
    down = make_app(REDIS_URL=DEAD_REDIS)
    membership = pending_membership(org)
    committee = committee_api(ApiClient(down.test_client()), org)
    response = committee.post(f"/api/v1/memberships/{membership.id}/approve")
    assert response.status_code == 200
    with down.app_context():
        assert outbox.relay() == 0  # the periodic relay, while Redis is still down
    [row] = rows(db)
    assert row.state == "pending" and "ConnectionError" in row.last_error

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
    assert row.state == "done" and row.attempts == 1 and row.finished_at is not None
    assert row.job_id.startswith(f"outbox-{row.id}-")
    assert db.session.execute(db.select(Notification)).scalar_one().delivery == "sent"


def test_enqueued_row_waits_for_its_job_while_redis_still_holds_it(api, db, org):
    approve(api, org)
    assert outbox.relay() == 1
    [row] = rows(db)
    lapse(db, row)
    # The job is still queued (a long backlog): the reconciler extends the lease, no twin.
    assert outbox.relay() == 0
    db.session.refresh(row)
    assert row.state == "enqueued" and row.lease_until > utcnow()
    assert queues.queue("notify").count == 1


def test_rows_redis_forgot_are_enqueued_again_and_done_once(api, db, org, redis_conn):
    approve(api, org)
    assert outbox.relay() == 1
    redis_conn.flushdb()  # a restart without persistence, or a FLUSHALL
    [row] = rows(db)
    assert outbox.relay() == 0  # within its lease the row is left alone
    lapse(db, row)
    assert relay_and_send() == 1
    db.session.refresh(row)
    assert row.state == "done"


def test_a_row_running_past_its_lease_is_taken_over(api, db, org):
    approve(api, org)
    [row] = rows(db)
    # A worker claimed it, then was SIGKILLed: the row says running, the claim is stale.
    assert outbox_run._claim(row.id) is not None
    assert outbox_run._claim(row.id) is None  # a live lease: nobody else may run it
    row.lease_until = utcnow()
    db.session.commit()
    assert relay_and_send() == 1
    db.session.refresh(row)
    assert row.state == "done" and row.attempts == 2


def test_a_duplicate_job_for_a_done_row_does_nothing(api, db, org):
    approve(api, org)
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        work()
        [row] = rows(db)
        queues.queue("notify").enqueue(outbox.RUN_JOB, kwargs={"outbox_id": row.id})
        work()
        sent = wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL)
    assert len(sent) == 1
    db.session.refresh(row)
    assert row.state == "done" and row.attempts == 1


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
    approve(api, org)
    [kick] = queues.queue("default").get_jobs()
    assert kick.func_name == "server.jobs.outbox.relay"
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        work()
    assert Job.fetch(kick.id, connection=queues.connection()).return_value() == 1
    assert rows(db)[0].state == "done"


def test_operator_sees_the_backlog_and_abandons_a_row_audited(app, api, db, org):
    approve(api, org)
    runner = app.test_cli_runner()
    status = runner.invoke(args=["outbox", "status"])
    assert status.exit_code == 0 and "pending" in status.output
    [row] = rows(db)
    refused = runner.invoke(args=["outbox", "abandon", str(row.id)])
    assert refused.exit_code != 0  # a reason is required
    done = runner.invoke(args=["outbox", "abandon", str(row.id), "--reason", "居民已注销"])
    assert done.exit_code == 0, done.output
    db.session.refresh(row)
    assert row.state == "failed"
    [entry] = db.session.execute(db.select(AuditLog).filter_by(action="outbox.abandon")).scalars()
    assert entry.actor_kind == "cli" and entry.object_id == str(row.id)
    assert entry.before["state"] == "pending" and entry.after["reason"] == "居民已注销"
    # An abandoned row is never run, however many relays come.
    assert outbox.relay() == 0
    missing = runner.invoke(args=["outbox", "retry", "999999", "--reason", "x"])
    assert missing.exit_code != 0 and "未找到" in missing.output
