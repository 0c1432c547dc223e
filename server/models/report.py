"""Problem reports (群众监督): categories, reports, their append-only timeline, "me too"
support and deadline extensions.

A report's handling is a state machine (server/services/reports/workflow.py holds the table of
allowed moves). "Closed" and "fixed" are separate: `closed_at` says the case is over, `fixed`
says whether the problem was actually solved (a rejected or referred report is closed, not
fixed). Deadlines are stored as the UTC instant the due working day ends in Shanghai, so "on
time" is one timestamp comparison on every backend.
"""
from sqlalchemy import (JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer,
                        String, Text)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, append_only, utcnow
from server.models.content_check import HasContentCheck

AREAS = ("S1", "S2", "S3", "S4", "S5", "S6", "S7")
HANDLERS = ("committee", "property", "owners_committee")
REPORT_STATUSES = ("submitted", "accepted", "rejected", "merged", "contacted", "in_progress",
                   "referred", "resolved", "closed")
CLOSE_REASONS = ("rejected", "merged", "referred", "confirmed", "dissatisfied", "unrated")
RATINGS = ("satisfied", "basically_satisfied", "dissatisfied")
EXTENSION_STATES = ("pending", "approved", "rejected")


def _in(values):
    return "(" + ",".join(f"'{v}'" for v in values) + ")"


class ReportCategory(db.Model):
    __tablename__ = "report_categories"
    __table_args__ = (
        CheckConstraint(f"area IN {_in(AREAS)}", name="area"),
        CheckConstraint(f"handler IN {_in(HANDLERS)}", name="handler"),
        CheckConstraint("contact_days >= 0 AND accept_days >= 0 AND resolve_days >= 1",
                        name="days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    area: Mapped[str] = mapped_column(String(2))
    handler: Mapped[str] = mapped_column(String(20))
    hint: Mapped[str] = mapped_column(String(200), default="")
    # Working-day limits: first contact with the reporter, acceptance, resolution.
    contact_days: Mapped[int] = mapped_column(Integer, default=1)
    accept_days: Mapped[int] = mapped_column(Integer, default=1)
    resolve_days: Mapped[int] = mapped_column(Integer, default=5)
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    # An emergency category is shown only to tell the resident to call 110/119.
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Report(HasContentCheck, db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(f"status IN {_in(REPORT_STATUSES)}", name="status"),
        CheckConstraint(f"close_reason IS NULL OR close_reason IN {_in(CLOSE_REASONS)}",
                        name="close_reason"),
        CheckConstraint(f"rating IS NULL OR rating IN {_in(RATINGS)}", name="rating"),
        CheckConstraint("rework_count >= 0 AND rework_count <= 1", name="rework_once"),
        # The street's views: open reports per community, newest first; overdue ones.
        Index("ix_reports_community_created", "community_id", "created_at"),
        Index("ix_reports_community_status", "community_id", "status"),
        Index("ix_reports_overdue", "community_id", "overdue_at"),
        Index("ix_reports_similar", "community_id", "category_id", "closed_at"),
        Index("ix_reports_reporter", "reporter_id", "created_at"),
        # A phone's retried filing (same Idempotency-Key) finds the first report; the database
        # refuses a second even when the retries race.
        db.UniqueConstraint("reporter_id", "idempotency_hash"),
        # Filed by a resident in the mini-program, or by a partner system through Open311;
        # neither once the resident deleted their account (the report stays, its author goes).
        CheckConstraint("(reporter_id IS NULL) <> (partner_id IS NULL) OR (reporter_id IS NULL "
                        "AND partner_id IS NULL AND reporter_erased)", name="one_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("report_categories.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"))
    # The reporter deleted their account (server/services/privacy/erasure.py).
    reporter_erased: Mapped[bool] = mapped_column(Boolean, default=False,
                                                  server_default=sa_false())
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("open311_partners.id"),
                                                   index=True)
    # The Open311 token handed to the partner with the request id (tokens/{token}).
    partner_token: Mapped[str | None] = mapped_column(String(36), unique=True)
    description: Mapped[str] = mapped_column(Text)
    building: Mapped[str] = mapped_column(String(40), default="")
    # The building as matched ("１２号楼" and "12" are one building): duplicates and repeats.
    building_key: Mapped[str] = mapped_column(String(40), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    # Who handles it once in progress, or the 12345 hotline reference when referred.
    handler_kind: Mapped[str] = mapped_column(String(20), default="")
    handler_name: Mapped[str] = mapped_column(String(60), default="")
    referral_ref: Mapped[str] = mapped_column(String(40), default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    reply: Mapped[str] = mapped_column(Text, default="")
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    rework_count: Mapped[int] = mapped_column(Integer, default=0)
    rating: Mapped[str | None] = mapped_column(String(30))
    rated_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    decided_at = mapped_column(UTCDateTime)  # accepted, rejected or merged
    accepted_at = mapped_column(UTCDateTime)
    contacted_at = mapped_column(UTCDateTime)
    resolved_at = mapped_column(UTCDateTime)
    closed_at = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(String(20))
    # None while open; True or False once closed.
    fixed: Mapped[bool | None] = mapped_column(Boolean)
    contact_due_at = mapped_column(UTCDateTime)
    accept_due_at = mapped_column(UTCDateTime)
    resolve_due_at = mapped_column(UTCDateTime)
    # Set instead of due dates when the calendar has no data for the year: staff see it.
    deadline_error: Mapped[str] = mapped_column(String(200), default="")
    # A deadline fell in a year with no holiday data: counted on weekends alone until the
    # year is loaded, when a job recomputes it and clears this.
    deadlines_provisional: Mapped[bool] = mapped_column(Boolean, default=False,
                                                        server_default=sa_false())
    overdue_at = mapped_column(UTCDateTime)
    escalated_at = mapped_column(UTCDateTime)
    # sha256 of the reporter and the filing's Idempotency-Key: a retry is recognised, the key
    # itself not kept. None when the phone sent no key.
    idempotency_hash: Mapped[str | None] = mapped_column(String(64))

    community = relationship("Community")
    category = relationship("ReportCategory")
    reporter = relationship("Resident")
    partner = relationship("PartnerSystem")
    merged_into = relationship("Report", remote_side=[id])
    events = relationship("ReportEvent", back_populates="report", order_by="ReportEvent.id")
    photos = relationship("Photo", primaryjoin="Photo.report_id == Report.id",
                          order_by="Photo.id", viewonly=True)
    extensions = relationship("ReportExtension", order_by="ReportExtension.id",
                              viewonly=True)


@append_only
class ReportEvent(db.Model):
    """One entry of a report's timeline: who did what, when, with what note and photos.
    Append-only (the ORM refuses updates and deletes)."""

    __tablename__ = "report_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # "resident", "staff" or "system" (the SLA scan, auto-close).
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    actor_resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    data = mapped_column(JSON, nullable=False, default=dict)

    report = relationship("Report", back_populates="events")
    actor_staff = relationship("Staff")
    photos = relationship("Photo", primaryjoin="Photo.event_id == ReportEvent.id",
                          order_by="Photo.id", viewonly=True)


class ReportSupport(db.Model):
    """A resident's "me too" on someone else's report."""

    __tablename__ = "report_supports"
    __table_args__ = (db.UniqueConstraint("report_id", "resident_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class ReportExtension(db.Model):
    """More working days to resolve, asked by the committee and decided by the street."""

    __tablename__ = "report_extensions"
    __table_args__ = (
        CheckConstraint(f"status IN {_in(EXTENSION_STATES)}", name="status"),
        CheckConstraint("days >= 1", name="days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    requested_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at = mapped_column(UTCDateTime)
    new_due_date = mapped_column(Date)
