"""Readiness for load balancers and operators: is this API process able to serve, and is the
background machinery behind it keeping up? Minimal on purpose (the endpoint is public): no
versions, hosts or error texts.

Only PostgreSQL decides "ready": without it nothing works, while without Redis or workers
every request still succeeds and its work waits in the outbox. Those make the answer
"degraded", for alerting, not "not ready", which would take every API process out of the load
balancer during a Redis outage.
"""
import logging
from datetime import datetime, timezone

import redis
from flask import current_app
from rq import Worker
from sqlalchemy import text

from server import queues
from server.extensions import db
from server.services import outbox

log = logging.getLogger(__name__)


def readiness():
    report = {"database": False, "redis": False, "workers": 0, "oldest_pending_seconds": None}
    try:
        db.session.execute(text("SELECT 1"))
        report["database"] = True
        report["oldest_pending_seconds"] = outbox.oldest_pending_age()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", said as such
        log.warning("Readiness: database unavailable: %s", exc.__class__.__name__)
        _rollback()
    report["redis"], report["workers"] = _redis_and_workers()
    if not report["database"]:
        report["status"] = "not_ready"
    elif (not report["redis"] or report["workers"] == 0
          or report["oldest_pending_seconds"] > current_app.config["OUTBOX_ALERT_SECONDS"]):
        report["status"] = "degraded"
    else:
        report["status"] = "ready"
    return report


def _redis_and_workers():
    broker = queues.broker()
    if not broker.available():
        return False, 0
    try:
        broker.connection.ping()
        workers = Worker.all(connection=broker.connection)
    except redis.RedisError as exc:
        broker.trip(exc)
        return False, 0
    now = datetime.now(timezone.utc)
    alive = 0
    for worker in workers:
        beat = worker.last_heartbeat
        if beat is None:
            continue
        if beat.tzinfo is None:
            beat = beat.replace(tzinfo=timezone.utc)
        if (now - beat).total_seconds() <= 2 * queues.WORKER_TTL:
            alive += 1
    return True, alive


def _rollback():
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the teardown drops the session
        pass
