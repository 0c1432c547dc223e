"""Periodic jobs (RQ's own cron) and the worker command."""
import responses

from server import queues
from server.cli_rq import build_scheduler
from server.jobs.periodic import PERIODIC
from server.models import Notification, OutboxMessage
from tests import wechat_http
from tests.jobs.worker import committee_api, pending_membership


def test_scheduler_enqueues_interval_jobs_at_once_each_on_its_queue(app):
    scheduler = build_scheduler(app, queues.connection())
    # Interval jobs run when the scheduler starts; crontab jobs wait for their time.
    due = [p for p in PERIODIC if p.interval is not None]
    enqueued = scheduler.enqueue_jobs()
    assert sorted(job.func_name for job in enqueued) == sorted(p.func for p in due)
    for periodic in due:
        waiting = [job.func_name for job in queues.queue(periodic.queue).get_jobs()]
        assert periodic.func in waiting


def test_relay_interval_comes_from_settings(app):
    scheduler = build_scheduler(app, queues.connection())
    relay = next(job for job in scheduler.get_jobs() if job.func_name.endswith("outbox.relay"))
    assert relay.interval == app.config["OUTBOX_RELAY_INTERVAL"]


def test_a_second_scheduler_stays_idle_while_the_first_holds_the_lock(app):
    first = build_scheduler(app, queues.connection())
    second = build_scheduler(app, queues.connection())
    enqueued = first.enqueue_jobs()
    assert enqueued and second.enqueue_jobs() == []
    assert sum(queue.count for queue in queues.broker().queues()) == len(enqueued)


def test_flask_rq_worker_runs_the_outbox_to_the_end(app, api, db, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        result = app.test_cli_runner().invoke(args=["rq", "worker", "--burst", "--simple"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.execute(db.select(Notification)).scalar_one().delivery == "sent"
    assert db.session.execute(db.select(OutboxMessage)).scalar_one().state == "done"


def test_flask_rq_relay_reports_what_it_moved(app, api, db, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    result = app.test_cli_runner().invoke(args=["rq", "relay"])
    assert result.exit_code == 0 and "已转发 1 条" in result.output


def test_requeue_needs_job_ids_or_all(app):
    result = app.test_cli_runner().invoke(args=["rq", "requeue"])
    assert result.exit_code != 0


def test_worker_refuses_an_unknown_queue(app):
    result = app.test_cli_runner().invoke(args=["rq", "worker", "--burst", "nope"])
    assert result.exit_code != 0 and "nope" in result.output


def test_forking_worker_runs_jobs_in_work_horses(app, api, db, org):
    membership = pending_membership(org)
    committee_api(api, org).post(f"/api/v1/memberships/{membership.id}/approve")
    # The horses are forked copies of this process, so the intercepted HTTP is theirs too;
    # only their effect on the database is visible here.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        result = app.test_cli_runner().invoke(args=["rq", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.execute(db.select(Notification)).scalar_one().delivery == "sent"
