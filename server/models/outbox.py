"""The transactional outbox: outside work written in the same transaction as the change that
causes it. The row, not Redis, is the truth about that work (server/services/outbox.py):

    pending -> enqueued -> running -> done
                  ^           |
                  +-----------+ (a failed attempt, retried later) -> failed (for good)

`due_at` spaces retries; `lease_until` bounds how long an enqueued or running row may go
without news before the reconciler takes it back (a worker SIGKILLed, Redis emptied)."""
from sqlalchemy import JSON, CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.base import UTCDateTime, utcnow

OUTBOX_STATES = ("pending", "enqueued", "running", "done", "failed")
ACTIVE_STATES = ("pending", "enqueued", "running")


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("state IN ('pending','enqueued','running','done','failed')",
                        name="state"),
        # The relay's two questions - "what is due?" and "whose lease ran out?" - are index
        # scans on (state, time).
        Index("ix_outbox_state_due", "state", "due_at"),
        Index("ix_outbox_state_lease", "state", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    payload = mapped_column(JSON, nullable=False)
    # The same event written twice (a retried request) makes one row, not two jobs.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # Not to be run before this (a retry's backoff); the creation time at first.
    due_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    lease_until = mapped_column(UTCDateTime)
    enqueued_at = mapped_column(UTCDateTime)
    started_at = mapped_column(UTCDateTime)
    finished_at = mapped_column(UTCDateTime)
    # Runs started (claims taken); bounded by JOB_RETRY_MAX + 1.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    job_id: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str] = mapped_column(String(300), default="")
