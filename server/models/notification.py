"""The inbox of residents and staff. Every message we send, or fail to send, through WeChat is
a row here first, so nothing a person needs to know depends on WeChat delivering it."""
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow

# pending -> sending -> sent | not_subscribed | failed; or straight to not_configured (no
# credentials or template id) or recipient_left (the resident left the community).
DELIVERY_STATES = ("pending", "sending", "sent", "not_subscribed", "not_configured",
                   "recipient_left", "failed")
FINAL_DELIVERY_STATES = ("sent", "not_subscribed", "not_configured", "recipient_left", "failed")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("delivery IN ('pending','sending','sent','not_subscribed',"
                        "'not_configured','recipient_left','failed')", name="delivery"),
        Index("ix_notifications_inbox", "resident_id", "created_at"),
        CheckConstraint("(resident_id IS NULL) <> (staff_id IS NULL)", name="one_recipient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"))
    # Staff are told what needs their action (a community barred after applying, ...).
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    # The community the message is about; the resident must still belong to it to be sent it.
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(String(500), default="")
    # The mini-program page the message opens, e.g. pages/membership/index?id=3.
    page: Mapped[str] = mapped_column(String(200), default="")
    # Field values for the subscribe-message template, by our field names.
    fields = mapped_column(JSON, nullable=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    read_at = mapped_column(UTCDateTime)
    delivery: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    delivery_errcode: Mapped[int | None] = mapped_column(Integer)
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0)
    delivery_error: Mapped[str] = mapped_column(String(300), default="")
    delivery_claimed_at = mapped_column(UTCDateTime)
    delivered_at = mapped_column(UTCDateTime)

    resident = relationship("Resident")
    staff = relationship("Staff")
    community = relationship("Community")
