"""Running one outbox row (the job server.jobs.outbox.run): claim, work, record.

The claim is a lease: the row goes `running` until `lease_until`, and only a row that is
pending, enqueued, or running with a lapsed lease can be claimed, so two jobs handed the same
row (a reconciled duplicate, a relay that crashed after enqueueing) never both run it. The
outcome is written in the same transaction as the handler's own writes when the handler leaves
them uncommitted (notifications, content checks); handlers that commit as they go are
idempotent, so a crash between their commit and ours only repeats harmless work.
"""
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, update

from server.extensions import db
from server.models import OutboxMessage
from server.models.base import utcnow
from server.services import outbox

log = logging.getLogger(__name__)


def run(outbox_id):
    """Do the work of one row. Returns the handler's result, or None when the row was not
    ours to run (done, failed, or running under someone else's lease)."""
    row = _claim(outbox_id)
    if row is None:
        log.info("Outbox row %s is not claimable (done, failed or leased): skipped", outbox_id)
        return None
    handler = outbox.handler(row)
    try:
        result = handler(**row.payload)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried, bounded
        db.session.rollback()
        _failed_attempt(outbox_id, exc)
        return None
    row = db.session.get(OutboxMessage, outbox_id)
    row.state, row.finished_at, row.lease_until = "done", utcnow(), None
    row.last_error = ""
    db.session.commit()
    return result


def _claim(outbox_id):
    now = utcnow()
    lease = timedelta(seconds=outbox.lease_seconds())
    claimed = db.session.execute(
        update(OutboxMessage).where(
            OutboxMessage.id == outbox_id,
            or_(OutboxMessage.state.in_(("pending", "enqueued")),
                (OutboxMessage.state == "running") & (OutboxMessage.lease_until < now)))
        .values(state="running", started_at=now, lease_until=now + lease,
                attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return db.session.get(OutboxMessage, outbox_id) if claimed == 1 else None


def _failed_attempt(outbox_id, exc):
    """Record a failed attempt: retried after the next backoff interval, or failed for good
    once JOB_RETRY_MAX retries are spent."""
    config = current_app.config
    row = db.session.get(OutboxMessage, outbox_id)
    row.last_error = f"{exc.__class__.__name__}: {exc}"[:300]
    row.lease_until = None
    if row.attempts > config["JOB_RETRY_MAX"]:
        row.state, row.finished_at = "failed", utcnow()
        outbox.call_hook(row, "gave_up")
        db.session.commit()
        log.error("Outbox row %s (%s) failed for good after %s attempts: %s", row.id, row.kind,
                  row.attempts, row.last_error)
        return
    intervals = config["JOB_RETRY_INTERVALS"]
    delay = intervals[min(row.attempts - 1, len(intervals) - 1)]
    row.state, row.due_at = "pending", utcnow() + timedelta(seconds=delay)
    db.session.commit()
    log.warning("Outbox row %s (%s) attempt %s failed, retry in %ss: %s", row.id, row.kind,
                row.attempts, delay, row.last_error)
    try:
        outbox.enqueue(row, delay)
        db.session.commit()
    except Exception as enqueue_error:  # noqa: BLE001 - the periodic relay will enqueue it
        db.session.rollback()
        log.warning("Could not schedule the retry of outbox row %s: %s", outbox_id,
                    enqueue_error)
