"""Workers die and Redis forgets: the outbox in the database still gets every message to
WeChat exactly once, and a job killed mid-run runs again with its effect once. Real
`flask rq worker` and `flask rq scheduler` processes, a real redis-server, wechatpy calling a
local recorder of WeChat's API."""
import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Notification, OutboxMessage, ScoreSnapshot
from server.services import outbox
from server.services.scoring import compute
from tests import scoring_fixtures
from tests.builders import ApiClient
from tests.conftest import TEST_DATABASE_URL
from tests.faults.procs import SUBSCRIBE_PATH, TOKEN_PATH, wait_until
from tests.jobs.worker import committee_api, pending_membership

WAIT = 120  # seconds: generous, for two busy cores; a pass takes a small part of it


def fresh(model):
    db.session.rollback()  # a new snapshot: the workers commit in other processes
    return db.session.execute(db.select(model).order_by(model.id)).scalars().all()


def all_delivered(count):
    def check():
        rows, notes = fresh(OutboxMessage), fresh(Notification)
        return (len(rows) == count and all(r.state == "done" for r in rows)
                and all(n.delivery == "sent" for n in notes))
    return check


def approve(faults, org, openids):
    committee = None
    for openid in openids:
        membership = pending_membership(org, openid=openid)
        committee = committee or committee_api(ApiClient(faults.app.test_client()), org)
        response = committee.post(f"/api/v1/memberships/{membership.id}/approve")
        assert response.status_code == 200, response.json


def test_worker_sigkilled_mid_send_the_message_reaches_wechat_exactly_once(faults, org):
    wechat, processes = faults.wechat, faults.processes
    # The worker will be caught inside the delivery job, its claims taken, waiting on WeChat.
    wechat.hold(TOKEN_PATH)
    approve(faults, org, ["applicant-1"])
    first = processes.worker("notify", "default")
    assert wechat.wait_held(WAIT), first.tail()
    [row], [note] = fresh(OutboxMessage), fresh(Notification)
    assert row.state == "running" and note.delivery == "sending"

    first.kill()  # SIGKILL: the worker and its work horse, mid-job
    wechat.release()
    assert wechat.calls_to(SUBSCRIBE_PATH) == []

    # systemd starts a new worker; the scheduler's periodic relay reconciles lapsed leases.
    second, scheduler = processes.worker("notify", "default"), processes.scheduler()
    wait_until(all_delivered(1), WAIT, "the message to be delivered",
               logs=(second, scheduler))
    sent = wechat.calls_to(SUBSCRIBE_PATH)
    assert len(sent) == 1 and sent[0]["touser"] == "applicant-1"
    [row] = fresh(OutboxMessage)
    assert row.state == "done" and row.attempts == 2  # the killed run and the one that sent
    with faults.app.app_context():
        assert outbox.relay() == 0  # nothing is left for anyone to run again
    assert len(wechat.calls_to(SUBSCRIBE_PATH)) == 1


def test_redis_restarted_empty_with_jobs_queued_and_running_delivers_each_exactly_once(
        faults, org):
    wechat, processes = faults.wechat, faults.processes
    openids = [f"applicant-{n}" for n in range(1, 6)]
    wechat.hold(SUBSCRIBE_PATH)  # the first send stays in flight: a job is running
    approve(faults, org, openids)
    scheduler = processes.scheduler()
    worker = processes.worker("notify", "default")
    assert wechat.wait_held(WAIT), worker.tail()
    states = sorted(r.state for r in fresh(OutboxMessage))
    assert states == ["enqueued"] * 4 + ["running"]  # four queued in Redis, one running

    faults.redis.restart_empty()  # a restart without persistence: every job is gone
    wechat.release()

    wait_until(all_delivered(len(openids)), WAIT, "every message to be delivered",
               logs=(worker, scheduler))
    sent = [body["touser"] for body in wechat.calls_to(SUBSCRIBE_PATH)]
    assert sorted(sent) == openids  # each resident told exactly once
    assert worker.alive() and scheduler.alive()  # both rode out the restart


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="holds a PostgreSQL table lock to catch the "
                                                  "job mid-run")
def test_worker_sigkilled_mid_recompute_the_job_runs_again_and_scores_once(faults, org):
    """A job with no WeChat call: the score recompute, caught inside its transaction (waiting
    on a lock the test holds on the snapshots table), SIGKILLed there, then run again."""
    scoring_fixtures.make_cycle(2025, scoring_fixtures.load(scoring_fixtures.SMALL))
    with faults.app.app_context():
        outbox.add("scoring.recompute", {"community_ids": [org.community.id],
                                         "reason": "fault test"})
        db.session.commit()
    url = sa.engine.make_url(faults.app.config["SQLALCHEMY_DATABASE_URI"])
    admin = sa.create_engine(url)
    try:
        with admin.connect() as holder:
            holder.execute(sa.text("LOCK TABLE score_snapshots IN ACCESS EXCLUSIVE MODE"))
            first = faults.processes.worker("scoring", "default")
            wait_until(lambda: waiting_on_snapshots(admin), WAIT,
                       "the recompute to wait on the snapshots table", logs=(first,))
            [row] = fresh(OutboxMessage)
            assert row.state == "running" and row.attempts == 1
            first.kill()  # SIGKILL: the worker and its work horse, mid-transaction
            holder.rollback()  # the lock goes; the dead run's transaction is rolled back
    finally:
        admin.dispose()
    assert snapshots(org) == 0

    second, scheduler = faults.processes.worker("scoring", "default"), faults.processes.scheduler()
    wait_until(lambda: [r.state for r in fresh(OutboxMessage)] == ["done"], WAIT,
               "the recompute to run again", logs=(second, scheduler))
    [row] = fresh(OutboxMessage)
    assert row.attempts == 2  # the killed run and the one that scored
    assert snapshots(org) == 1  # scored once
    with faults.app.app_context():
        assert outbox.relay() == 0
        assert compute.recompute([org.community.id], "again") == 0  # nothing left to change
        db.session.remove()
    assert snapshots(org) == 1


def waiting_on_snapshots(engine):
    with engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT count(*) FROM pg_locks WHERE relation = 'score_snapshots'::regclass "
            "AND NOT granted")).scalar_one()


def snapshots(org):
    db.session.rollback()
    return db.session.execute(db.select(db.func.count(ScoreSnapshot.id)).where(
        ScoreSnapshot.community_id == org.community.id)).scalar_one()
