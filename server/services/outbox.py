"""The transactional outbox.

A service that must cause outside work calls `add(kind, payload, dedupe_key)` inside its own
transaction, so the change and the promise of work commit together or not at all. The relay
(`relay()`, run by the job server.jobs.outbox.relay every OUTBOX_RELAY_INTERVAL seconds and
kicked right after any commit that wrote outbox rows) enqueues each row as an RQ job and
marks it sent. With Redis down the request still commits, the kick fails quietly, and the row
waits for the first relay after recovery: delayed, never lost.

Each row becomes the RQ job `outbox-<id>`, enqueued with unique=True: if the relay enqueued a
row and then failed to mark it sent, the next run finds the job already there and only marks
the row, so one row never becomes two jobs.
"""
import logging

import redis
from flask import current_app, has_app_context
from rq.exceptions import DuplicateJobError
from sqlalchemy import event
from sqlalchemy.orm import Session

from server import queues
from server.extensions import db
from server.models import OutboxMessage
from server.models.base import utcnow

log = logging.getLogger(__name__)

# kind -> (queue, job function). Job functions are named by path so that services never
# import server.jobs (jobs import services, not the other way round).
KINDS = {
    "notification.deliver": ("notify", "server.jobs.notify.deliver"),
    "content.check_text": ("default", "server.jobs.content.check_text"),
    "content.check_image": ("default", "server.jobs.content.check_image"),
    "scoring.recompute": ("scoring", "server.jobs.scoring.recompute"),
    "survey.announce": ("notify", "server.jobs.surveys.announce"),
    "survey.export": ("exports", "server.jobs.surveys.export"),
    "holidays.recompute": ("default", "server.jobs.holidays.recompute"),
}
RELAY_JOB = "server.jobs.outbox.relay"
_KICK = "outbox.kick"


def add(kind, payload, dedupe_key=None):
    """Promise outside work in the caller's transaction; the caller commits. A second add with
    the same dedupe_key is ignored, so a retried request does not queue the work twice."""
    if kind not in KINDS:
        raise ValueError(f"unknown outbox kind {kind!r}")
    if dedupe_key is not None:
        existing = db.session.execute(
            db.select(OutboxMessage).filter_by(dedupe_key=dedupe_key)).scalar_one_or_none()
        if existing is not None:
            return existing
    message = OutboxMessage(kind=kind, payload=payload, dedupe_key=dedupe_key)
    db.session.add(message)
    db.session.info[_KICK] = True
    return message


def relay(limit=None):
    """Move unsent rows to RQ, oldest first; return how many jobs were enqueued. Safe to run in
    several processes at once: on PostgreSQL rows are claimed with SKIP LOCKED."""
    limit = limit or current_app.config["OUTBOX_BATCH_SIZE"]
    rows = db.session.execute(
        db.select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        .order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)
    ).scalars().all()
    moved = 0
    broker = queues.broker()
    for row in rows:
        queue_name, func = KINDS[row.kind]
        job_id = f"outbox-{row.id}"
        try:
            broker.queue(queue_name).enqueue(func, kwargs=row.payload, job_id=job_id,
                                             unique=True, retry=broker.retry(),
                                             description=f"{row.kind} #{row.id}")
            moved += 1
        except DuplicateJobError:
            log.info("Outbox row %s was already enqueued as %s", row.id, job_id)
        except redis.RedisError as exc:
            # Redis is down: stop here, keep this row and the rest for the next run.
            row.attempts += 1
            row.last_error = f"{exc.__class__.__name__}: {exc}"[:300]
            log.warning("Outbox relay stopped, Redis unavailable: %s", exc)
            break
        row.sent_at = utcnow()
        row.job_id = job_id
    db.session.commit()
    return moved


def kick():
    """Ask a worker to relay now. Failing is fine: the periodic relay will catch up."""
    try:
        queues.queue("default").enqueue(RELAY_JOB, description="outbox relay (kick)")
    except redis.RedisError as exc:
        log.warning("Could not kick the outbox relay (Redis unavailable): %s", exc)


def unsent_count():
    return db.session.execute(db.select(db.func.count(OutboxMessage.id)).where(
        OutboxMessage.sent_at.is_(None))).scalar_one()


def _after_commit(session):
    if session.info.pop(_KICK, False) and has_app_context() and current_app.config["OUTBOX_KICK"]:
        kick()


def _after_rollback(session, previous_transaction):
    # A savepoint rolling back leaves the outer transaction's rows in place.
    if not previous_transaction.nested:
        session.info.pop(_KICK, None)


def init_app(app):
    # Listeners on the Session class see every session; they act only on sessions that added
    # outbox rows in the transaction that just ended.
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)

