"""A resident's phone number, kept only when they chose to share it and agreed to its use."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow


class ResidentPhone(db.Model):
    __tablename__ = "resident_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), unique=True)
    phone: Mapped[str] = mapped_column(String(20))
    country_code: Mapped[str] = mapped_column(String(8), default="86")
    consented_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    resident = relationship("Resident")
