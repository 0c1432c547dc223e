"""Field inspections (实地考察) by volunteer supervisors.

A resident volunteers; their committee approves. A street draws a checklist for a community:
for each group of points (roads, bins, fire lanes) the population as given and how many to
draw, drawn with `random.Random(seed)`. The seed and the population are stored, so a reviewer
can redraw the sample and see it was not chosen. The volunteer grades each drawn point A/B/C
with a photo. These grades are a source of their own ("volunteer"), shown beside the official
entries of the framework's field-inspection indicators, never mixed into them.
"""
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow

VOLUNTEER_STATES = ("pending", "approved", "rejected", "withdrawn")
POINT_KINDS = ("road", "bin", "fire_lane")
GRADES = ("A", "B", "C")
INSPECTION_STATES = ("assigned", "submitted")


class VolunteerSupervisor(db.Model):
    __tablename__ = "volunteer_supervisors"
    __table_args__ = (
        CheckConstraint("status IN ('pending','approved','rejected','withdrawn')",
                        name="status"),
        # One live application or approval per resident, held by the database.
        Index("uq_volunteer_supervisors_one_live", "resident_id", unique=True,
              sqlite_where=text("status IN ('pending','approved')"),
              postgresql_where=text("status IN ('pending','approved')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None once the volunteer deleted their account: their inspections stay, unsigned.
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str] = mapped_column(String(200), default="")
    applied_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at = mapped_column(UTCDateTime)

    resident = relationship("Resident")
    community = relationship("Community")


class FieldInspection(db.Model):
    __tablename__ = "field_inspections"
    __table_args__ = (
        CheckConstraint("status IN ('assigned','submitted')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer_supervisors.id"),
                                              index=True)
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    # random.Random(int(seed)); kept as text so any integer fits every backend.
    seed: Mapped[str] = mapped_column(String(40))
    # [{"kind", "indicator_code", "population": [names, in the order given], "size"}]
    groups = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(20), default="assigned")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    submitted_at = mapped_column(UTCDateTime)

    volunteer = relationship("VolunteerSupervisor")
    community = relationship("Community")
    items = relationship("InspectionItem", back_populates="inspection",
                         order_by="InspectionItem.position")


class InspectionItem(db.Model):
    __tablename__ = "field_inspection_items"
    __table_args__ = (
        CheckConstraint("kind IN ('road','bin','fire_lane')", name="kind"),
        CheckConstraint("grade IS NULL OR grade IN ('A','B','C')", name="grade"),
        db.UniqueConstraint("photo_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("field_inspections.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    point: Mapped[str] = mapped_column(String(60))
    indicator_code: Mapped[str] = mapped_column(String(20))
    grade: Mapped[str | None] = mapped_column(String(1))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    graded_at = mapped_column(UTCDateTime)

    inspection = relationship("FieldInspection", back_populates="items")
