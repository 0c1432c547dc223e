"""The staff inbox of the console: what a committee, street, district or city staff member
must act on (a committee answered a rectification, a report was escalated, a new report came
in). A row per recipient, written in the same transaction as the change it reports."""
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow


class StaffNotification(db.Model):
    __tablename__ = "staff_notifications"
    __table_args__ = (Index("ix_staff_notifications_inbox", "staff_id", "read_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(String(500), default="")
    # The console page the message is about (a path under /console).
    link: Mapped[str] = mapped_column(String(200), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    read_at = mapped_column(UTCDateTime)

    staff = relationship("Staff")
