"""The transactional outbox: the database, not Redis, is the truth about background work.

A service that must cause outside work calls `add(kind, payload, dedupe_key)` inside its own
transaction, so the change and the promise of work commit together or not at all. Redis only
carries the work:

- `relay()` enqueues every due `pending` row as an RQ job (`server.jobs.outbox.run`) and marks
  it `enqueued` with a lease. It runs every OUTBOX_RELAY_INTERVAL seconds, when a worker
  starts, and is kicked right after any commit that wrote outbox rows.
- The job claims its row (`running`, with a lease shorter jobs cannot outlive), runs the
  kind's service function and records the outcome - `done`, or a failed attempt retried after
  JOB_RETRY_INTERVALS, `failed` for good after JOB_RETRY_MAX retries - in the same transaction
  as the function's own writes where it leaves them uncommitted (server/services/outbox_run.py).
- `relay()` is also the reconciler: an `enqueued` row past its lease whose job is no longer
  waiting in Redis, or a `running` row past its lease (its worker died), is enqueued again.
  A Redis that forgets everything (a restart without persistence, a FLUSHALL) or a SIGKILLed
  worker delays work by a lease; it never loses it.

Delivery is at least once: a job killed after its effect left the building but before its
outcome was recorded runs again, so every kind's function is idempotent.
"""
import importlib
import logging
import secrets
from datetime import timedelta, timezone
from typing import NamedTuple

import redis
from flask import current_app, has_app_context
from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy import event, or_
from sqlalchemy.orm import Session

from server import queues
from server.errors import Conflict, NotFound
from server.extensions import db
from server.models import OutboxMessage
from server.models.base import utcnow
from server.models.outbox import ACTIVE_STATES, OUTBOX_STATES
from server.services import audit
from server.services.pagination import paginate

log = logging.getLogger(__name__)


class Kind(NamedTuple):
    queue: str
    # The service function that does the work, called with the row's payload as keywords.
    # Named by path so that this module imports none of the services it drives.
    handler: str
    # Called with the payload when the row fails for good or is put back by an operator, so
    # what the row promised shows the same outcome (a message's delivery state in the inbox).
    gave_up: str | None = None
    revived: str | None = None


KINDS = {
    "notification.deliver": Kind("notify", "server.services.notifications.deliver",
                                 gave_up="server.services.notifications.gave_up",
                                 revived="server.services.notifications.revived"),
    "content.check_text": Kind("default", "server.services.content_checks.run_text_check"),
    "content.check_image": Kind("default", "server.services.content_checks.run_image_check"),
    "scoring.recompute": Kind("scoring", "server.services.scoring.compute.recompute"),
    "survey.announce": Kind("notify", "server.services.surveys.announce.announce"),
    "survey.export": Kind("exports", "server.services.surveys.export.run"),
    "holidays.recompute": Kind("default", "server.services.reports.sla.recompute_provisional"),
}
RUN_JOB = "server.jobs.outbox.run"
RELAY_JOB = "server.jobs.outbox.relay"
# RQ statuses of a job that will still run; anything else (gone, failed, finished, or
# "started" for a row never claimed) means nothing is behind an enqueued row any more.
WAITING = {"queued", "scheduled", "deferred"}
_KICK = "outbox.kick"


class RetryLater(Exception):
    """Raised by a handler that could not do its work now (e.g. someone else holds the
    notification's claim); the attempt is recorded and retried after a backoff."""


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
    now = utcnow()
    message = OutboxMessage(kind=kind, payload=payload, dedupe_key=dedupe_key, state="pending",
                            created_at=now, due_at=now, attempts=0, last_error="")
    db.session.add(message)
    db.session.info[_KICK] = True
    return message


def lease_seconds():
    return current_app.config["OUTBOX_LEASE_SECONDS"]


def job_timeout():
    """RQ kills a run before its lease ends, so a lease never runs out under a live job."""
    lease = lease_seconds()
    return lease - max(1, min(60, lease // 4))


def relay(limit=None):
    """Enqueue the due pending rows and take back the rows whose lease ran out with no job
    behind them; return how many jobs were enqueued. Safe in several processes at once: on
    PostgreSQL rows are locked with SKIP LOCKED."""
    limit = limit or current_app.config["OUTBOX_BATCH_SIZE"]
    now = utcnow()
    rows = db.session.execute(
        db.select(OutboxMessage).where(or_(
            (OutboxMessage.state == "pending") & (OutboxMessage.due_at <= now),
            OutboxMessage.state.in_(("enqueued", "running"))
            & (OutboxMessage.lease_until < now)))
        .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)
        .with_for_update(skip_locked=True)).scalars().all()
    moved = 0
    try:
        for row in rows:
            if row.state == "enqueued" and _still_waiting(row):
                row.lease_until = now + timedelta(seconds=lease_seconds())
                continue
            if row.state != "pending":
                log.warning("Outbox row %s was %s past its lease with no live job: enqueued "
                            "again", row.id, row.state)
            enqueue(row)
            moved += 1
    except redis.RedisError as exc:
        # Redis is down or hung: keep this row and the rest for the next run.
        row.last_error = f"Redis: {exc.__class__.__name__}: {exc}"[:300]
        log.warning("Outbox relay stopped, Redis unavailable: %s", exc)
    db.session.commit()
    return moved


def _still_waiting(row):
    if not row.job_id:
        return False
    try:
        job = Job.fetch(row.job_id, connection=queues.connection())
    except NoSuchJobError:
        return False
    return job.get_status(refresh=False) in WAITING


def enqueue(row, delay=0):
    """Hand `row` to RQ (after `delay` seconds) and mark it enqueued; the caller commits.
    Raises redis.RedisError, leaving the row as it was."""
    kind = KINDS[row.kind]
    queue = queues.queue(kind.queue)
    job_id = f"outbox-{row.id}-{secrets.token_hex(4)}"
    options = dict(kwargs={"outbox_id": row.id}, job_id=job_id, job_timeout=job_timeout(),
                   description=f"{row.kind} #{row.id}")
    if delay > 0:
        queue.enqueue_in(timedelta(seconds=delay), RUN_JOB, **options)
    else:
        queue.enqueue(RUN_JOB, **options)
    now = utcnow()
    row.state = "enqueued"
    row.job_id = job_id
    row.enqueued_at = now
    row.lease_until = now + timedelta(seconds=delay + lease_seconds())


def kick():
    """Ask a worker to relay now. Failing is fine: the periodic relay will catch up."""
    broker = queues.broker()
    if not broker.available():
        return
    try:
        queues.queue("default").enqueue(RELAY_JOB, description="outbox relay (kick)")
    except redis.RedisError as exc:
        broker.trip(exc)
        log.warning("Could not kick the outbox relay (Redis unavailable): %s", exc)


# --- figures and operators ------------------------------------------------------------------

def unsent_count():
    """Rows whose work is not finished (pending, enqueued or running)."""
    return db.session.execute(db.select(db.func.count(OutboxMessage.id)).where(
        OutboxMessage.state.in_(ACTIVE_STATES))).scalar_one()


def counts_by_state():
    rows = db.session.execute(db.select(OutboxMessage.state, db.func.count(OutboxMessage.id))
                              .group_by(OutboxMessage.state)).all()
    counts = dict.fromkeys(OUTBOX_STATES, 0)
    counts.update(dict(rows))
    return counts


def oldest_pending_age():
    """Seconds the oldest unfinished row has waited since it became due (0 when none)."""
    oldest = db.session.execute(db.select(db.func.min(OutboxMessage.due_at)).where(
        OutboxMessage.state.in_(ACTIVE_STATES))).scalar_one()
    if oldest is None:
        return 0
    if oldest.tzinfo is None:  # SQLite's aggregate comes back without the column's type
        oldest = oldest.replace(tzinfo=timezone.utc)
    return max(0, int((utcnow() - oldest).total_seconds()))


def _newest_first(state=None):
    query = db.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    return query.where(OutboxMessage.state == state) if state else query


def list_rows(state=None, limit=50):
    return db.session.execute(_newest_first(state).limit(limit)).scalars().all()


def page(state, page_number, per_page):
    return paginate(_newest_first(state), page_number, per_page)


def retry(row_id, actor, reason):
    """Put a failed (or stuck) row back to pending, due now; audited. The caller commits."""
    row = _operator_row(row_id, ("failed", "pending", "enqueued", "running"))
    before = _snapshot(row)
    row.state, row.due_at, row.lease_until, row.finished_at = "pending", utcnow(), None, None
    # A fresh budget of attempts: the operator judged the cause fixed.
    row.attempts = 0
    call_hook(row, "revived")
    _audit(actor, "outbox.retry", row, before, reason)
    db.session.info[_KICK] = True
    return row


def abandon(row_id, actor, reason):
    """Give up on a row that is not done: it is marked failed and never run again; audited."""
    row = _operator_row(row_id, ACTIVE_STATES + ("failed",))
    before = _snapshot(row)
    row.state, row.lease_until, row.finished_at = "failed", None, utcnow()
    row.last_error = f"放弃：{reason}"[:300]
    call_hook(row, "gave_up")
    _audit(actor, "outbox.abandon", row, before, reason)
    return row


def handler(row, hook="handler"):
    """The service function a row's kind names for `hook` (handler, gave_up, revived)."""
    path = getattr(KINDS[row.kind], hook)
    if path is None:
        return None
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def call_hook(row, hook):
    """Run the kind's gave_up / revived function with the row's payload; the caller commits."""
    function = handler(row, hook)
    if function is not None:
        function(**row.payload)


def _operator_row(row_id, allowed):
    row = db.session.get(OutboxMessage, row_id)
    if row is None:
        raise NotFound("未找到该待办", slug="outbox_row_not_found")
    if row.state not in allowed:
        raise Conflict("该待办当前状态不能执行此操作", slug="outbox_state",
                       details={"state": row.state})
    return row


def _snapshot(row):
    return {"state": row.state, "attempts": row.attempts, "last_error": row.last_error}


def _audit(actor, action, row, before, reason):
    audit.record(actor, action, row, before, {**_snapshot(row), "reason": reason})


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
