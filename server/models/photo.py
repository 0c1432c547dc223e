"""Uploaded photos. A photo is uploaded first (`POST /api/v1/uploads`) and attached later to a
report, a timeline entry (after-photos) or a rectification answer; who may see it follows what
it is attached to. Only the re-encoded file (no EXIF, no GPS) and its thumbnail are stored."""
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow
from server.models.content_check import HasContentCheck


class Photo(HasContentCheck, db.Model):
    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Exactly one uploader: a resident or a staff member.
    uploader_resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"),
                                                             index=True)
    uploader_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    storage_key: Mapped[str] = mapped_column(String(200))
    thumb_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    # What the client sent, as sniffed from its bytes (jpeg, png, webp, heif).
    source_format: Mapped[str] = mapped_column(String(10))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("report_events.id"), index=True)
    rectification_id: Mapped[int | None] = mapped_column(ForeignKey("rectifications.id"),
                                                         index=True)
    rectification_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("rectification_events.id"))
    # Staff may hide a photo (a face, a number plate): then only staff see it.
    hidden_at = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    hidden_reason: Mapped[str] = mapped_column(String(200), default="")

    uploader_resident = relationship("Resident")
    uploader_staff = relationship("Staff", foreign_keys=[uploader_staff_id])
    report = relationship("Report", foreign_keys=[report_id])
    rectification = relationship("Rectification", foreign_keys=[rectification_id])

    @property
    def attached(self):
        return self.report_id is not None or self.rectification_id is not None
