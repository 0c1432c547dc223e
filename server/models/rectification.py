"""Rectification orders (整改意见): a street tells a community to fix something, pointing at
reports or at a standard area, with a deadline; the committee answers with what it did and
photos; the street verifies (passed / returned). This is 督查整改 of the 2021 measures."""
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow
from server.models.report import AREAS, _in

RECTIFICATION_STATUSES = ("issued", "answered", "passed", "returned")

rectification_reports = db.Table(
    "rectification_reports",
    db.Column("rectification_id", db.ForeignKey("rectifications.id"), primary_key=True),
    db.Column("report_id", db.ForeignKey("reports.id"), primary_key=True),
)


class Rectification(db.Model):
    __tablename__ = "rectifications"
    __table_args__ = (
        CheckConstraint(f"status IN {_in(RECTIFICATION_STATUSES)}", name="status"),
        CheckConstraint(f"area IS NULL OR area IN {_in(AREAS)}", name="area"),
        Index("ix_rectifications_community_status", "community_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    title: Mapped[str] = mapped_column(String(100))
    requirement: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(2))
    # The last day (Shanghai) by which the committee must answer.
    deadline = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="issued")
    answer: Mapped[str] = mapped_column(Text, default="")
    verdict_note: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    answered_at = mapped_column(UTCDateTime)
    verified_at = mapped_column(UTCDateTime)

    community = relationship("Community")
    issued_by = relationship("Staff")
    reports = relationship("Report", secondary=rectification_reports, order_by="Report.id")
    events = relationship("RectificationEvent", order_by="RectificationEvent.id")
    photos = relationship("Photo", primaryjoin="Photo.rectification_id == Rectification.id",
                          order_by="Photo.id", viewonly=True)


class RectificationEvent(db.Model):
    """The order's history: issued, answered (with photos), passed or returned."""

    __tablename__ = "rectification_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    rectification_id: Mapped[int] = mapped_column(ForeignKey("rectifications.id"), index=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    actor_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")

    actor_staff = relationship("Staff")
    photos = relationship("Photo",
                          primaryjoin="Photo.rectification_event_id == RectificationEvent.id",
                          order_by="Photo.id", viewonly=True)
