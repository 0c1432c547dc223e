"""The organisation: city > district > street-level unit > residential area, and communities.

The four administrative levels share one table (`org_units`) because staff are scoped to one
unit of any level. Communities are a table of their own (they are what is evaluated) and carry
their street, district and city ids as well as their residential area, so that "everything in
this scope" is one indexed equality instead of a recursive walk.
"""
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow

LEVELS = ("city", "district", "street", "residential_area")
# The parent level each level must hang under.
PARENT_LEVEL = {"city": None, "district": "city", "street": "district",
                "residential_area": "street"}
STREET_KINDS = ("街道", "乡镇", "工业区", "园区")


class OrgUnit(db.Model):
    __tablename__ = "org_units"
    __table_args__ = (
        CheckConstraint("level IN ('city','district','street','residential_area')", name="level"),
        CheckConstraint("kind IS NULL OR kind IN ('街道','乡镇','工业区','园区')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20), index=True)
    # Only street-level units have a kind (街道/乡镇/工业区/园区).
    kind: Mapped[str | None] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    parent = relationship("OrgUnit", remote_side=[id])

    def ancestor(self, level):
        unit = self
        while unit is not None and unit.level != level:
            unit = unit.parent
        return unit


class Community(db.Model):
    __tablename__ = "communities"
    __table_args__ = (
        CheckConstraint("households >= 0", name="households_not_negative"),
        Index("ix_communities_name", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    households: Mapped[int] = mapped_column(Integer, default=0)
    residential_area_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    residential_area = relationship("OrgUnit", foreign_keys=[residential_area_id])
    street = relationship("OrgUnit", foreign_keys=[street_id])
    district = relationship("OrgUnit", foreign_keys=[district_id])
    city = relationship("OrgUnit", foreign_keys=[city_id])
    buildings = relationship("Building", back_populates="community",
                             order_by="Building.sort_key", cascade="all, delete-orphan")


class Building(db.Model):
    __tablename__ = "buildings"
    __table_args__ = (db.UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    # As residents say it: "12号楼", "3幢"; sort_key keeps 2 before 10.
    name: Mapped[str] = mapped_column(String(40))
    sort_key: Mapped[str] = mapped_column(String(60), default="")

    community = relationship("Community", back_populates="buildings")


class Household(db.Model):
    """One dwelling in a community's household register (户籍/实有户), as committees keep it."""

    __tablename__ = "households"
    __table_args__ = (db.UniqueConstraint("community_id", "building", "unit", "room"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    building: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(20), default="")
    room: Mapped[str] = mapped_column(String(20))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
