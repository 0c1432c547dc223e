"""Partner systems that speak Open311 GeoReport v2 to us (the 12345 hotline, a district's
数字城管): each holds one API key issued by the city office. Only the key's sha256 is stored;
the key itself is shown once, when it is issued."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow


class PartnerSystem(db.Model):
    __tablename__ = "open311_partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The key's first characters, so the city office can tell keys apart without the key.
    key_prefix: Mapped[str] = mapped_column(String(8))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    revoked_at = mapped_column(UTCDateTime)

    issued_by = relationship("Staff")

    @property
    def active(self):
        return self.revoked_at is None
