"""The transactional outbox: outside work written in the same transaction as the change that
causes it, then moved to RQ by the relay (server/services/outbox.py). A Redis outage delays
that work; it never loses it."""
from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.base import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        # The relay's question, "what is still to send, oldest first", is one index scan.
        Index("ix_outbox_unsent", "sent_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    payload = mapped_column(JSON, nullable=False)
    # The same event written twice (a retried request) makes one row, not two jobs.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    sent_at = mapped_column(UTCDateTime)
    job_id: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(300), default="")
