"""Content security for what residents write and upload, as a piece other rows attach to.

A survey answer's free text, a report's text or photo points at one ContentCheck through the
HasContentCheck mixin. Until the check passes, the content is visible to its author and to
staff only (`is_public`); risky content is held for staff, who release or reject it.

    pending -> passed | risky (held) | skipped (checks off or no WeChat credentials)
    risky -> passed (released by staff) | rejected
"""
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow

CHECK_STATES = ("pending", "passed", "risky", "skipped", "rejected")
PUBLIC_STATES = ("passed", "skipped")
# Subjects whose author no one may learn: their check forgets the author once WeChat answers.
ANONYMOUS_SUBJECTS = {"survey_comment"}


class ContentCheck(db.Model):
    __tablename__ = "content_checks"
    __table_args__ = (
        CheckConstraint("status IN ('pending','passed','risky','skipped','rejected')",
                        name="status"),
        CheckConstraint("media IN ('text','image')", name="media"),
        Index("ix_content_checks_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    media: Mapped[str] = mapped_column(String(10))
    # What the check is about, e.g. ("report", "12"); for staff review screens and audit.
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(64), default="")
    # None once an anonymous subject's check has answered (a survey comment must not lead to
    # its author after WeChat no longer needs the openid).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True)
    # The text itself, or for an image the URL WeChat downloads it from.
    content: Mapped[str] = mapped_column(Text)
    # msgSecCheck/mediaCheckAsync scene: 1 profile, 2 comment, 3 forum, 4 social log.
    scene: Mapped[int] = mapped_column(Integer, default=2)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    suggest: Mapped[str] = mapped_column(String(20), default="")
    label: Mapped[int | None] = mapped_column(Integer)
    trace_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    submitted_at = mapped_column(UTCDateTime)
    checked_at = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reviewed_at = mapped_column(UTCDateTime)
    review_note: Mapped[str] = mapped_column(String(200), default="")

    author = relationship("Resident")
    community = relationship("Community")
    reviewed_by = relationship("Staff")

    @property
    def is_public(self):
        return self.status in PUBLIC_STATES


class HasContentCheck:
    """For a row whose content is checked: adds content_check_id and `publicly_visible`."""

    @declared_attr
    def content_check_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("content_checks.id"), index=True)

    @declared_attr
    def content_check(cls):
        return relationship("ContentCheck")

    @property
    def publicly_visible(self):
        return self.content_check is None or self.content_check.is_public
