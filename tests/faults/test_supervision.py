"""Processes that outlive their dependencies: a worker and the scheduler ride out Redis
being away for a while; `flask dev-services` restarts a worker that died."""
import os
import signal
import sys
import threading

from server.cli_rq import Supervisor
from server.extensions import db
from server.models import Notification
from tests.builders import ApiClient
from tests.faults.procs import SUBSCRIBE_PATH, wait_until
from tests.jobs.worker import committee_api, pending_membership

WAIT = 120


def test_worker_and_scheduler_wait_out_a_redis_outage_and_then_work(faults, org):
    processes = faults.processes
    worker, scheduler = processes.worker("notify", "default"), processes.scheduler()
    wait_until(lambda: "Listening on" in worker.tail(200), WAIT, "the worker to listen",
               logs=(worker,))
    faults.redis.proc.kill()  # Redis gone, not just restarted
    faults.redis.proc.wait(timeout=10)
    wait_until(lambda: "reconnecting in" in worker.tail(200) or "could not connect"
               in worker.tail(200), WAIT, "the worker to notice", logs=(worker,))
    assert worker.alive() and scheduler.alive()

    faults.redis.start()  # back, empty
    membership = pending_membership(org)
    committee = committee_api(ApiClient(faults.app.test_client()), org)
    assert committee.post(f"/api/v1/memberships/{membership.id}/approve").status_code == 200

    def sent():
        db.session.rollback()
        note = db.session.execute(db.select(Notification)).scalar_one()
        return note.delivery == "sent"

    wait_until(sent, WAIT, "the message to be sent after Redis returned",
               logs=(worker, scheduler))
    assert len(faults.wechat.calls_to(SUBSCRIBE_PATH)) == 1
    assert worker.alive() and scheduler.alive()


def test_dev_services_restart_a_worker_that_died(faults):
    env = faults.processes.env
    command = [sys.executable, "-m", "flask", "rq", "worker", "default"]
    supervisor = Supervisor([(command, env)], poll=0.2)
    stop = threading.Event()
    thread = threading.Thread(target=supervisor.run, kwargs={"until": stop.is_set})
    thread.start()
    try:
        wait_until(lambda: supervisor.children, 30, "the first worker to start")
        first, _ = supervisor.children[0]
        os.kill(first.pid, signal.SIGKILL)
        wait_until(lambda: supervisor.restarts == 1, 30, "the worker to be restarted")
        second, _ = supervisor.children[0]
        assert second.pid != first.pid and second.poll() is None
    finally:
        stop.set()
        thread.join(timeout=30)
        supervisor.stop()
    assert second.poll() is not None  # stopped with the supervisor
