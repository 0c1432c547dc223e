"""City-wide three-year creation cycles, district quotas, each community's stage in a cycle, and
the title (上海市文明小区) a community holds."""
from sqlalchemy import (CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow
from server.models.scoring import POINTS

# DOMAIN.md: not_participating -> creating -> self_assessed -> applied (or review_applied) ->
# district_selected -> city_assessed -> consulted -> named | not_named; review: title_kept |
# title_lost.
STAGES = ("not_participating", "creating", "self_assessed", "applied", "review_applied",
          "district_selected", "city_assessed", "consulted", "named", "not_named",
          "title_kept", "title_lost")


class Cycle(db.Model):
    __tablename__ = "cycles"
    __table_args__ = (CheckConstraint("end_year = start_year + 2", name="three_years"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    start_year: Mapped[int] = mapped_column(Integer, unique=True)
    end_year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    # The evaluation system the cycle scores with; None: the latest loaded version.
    framework_id: Mapped[int | None] = mapped_column(ForeignKey("frameworks.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    framework = relationship("Framework")
    quotas = relationship("CycleQuota", cascade="all, delete-orphan")


class CycleQuota(db.Model):
    """How many communities a district may submit in a cycle (名额, set by the city office)."""

    __tablename__ = "cycle_quotas"
    __table_args__ = (UniqueConstraint("cycle_id", "district_id"),
                      CheckConstraint("quota >= 0", name="quota_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    quota: Mapped[int] = mapped_column(Integer)


class Participation(db.Model):
    """A community's stage in one cycle, with the facts each move was checked against."""

    __tablename__ = "participations"
    __table_args__ = (
        UniqueConstraint("cycle_id", "community_id"),
        CheckConstraint("stage IN ('not_participating','creating','self_assessed','applied',"
                        "'review_applied','district_selected','city_assessed','consulted',"
                        "'named','not_named','title_kept','title_lost')", name="stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), default="not_participating")
    stage_since = mapped_column(Date, nullable=False)
    # 第十条: a new application needs three years of creation counted from this date.
    creation_started_on = mapped_column(Date)
    applied_on = mapped_column(Date)
    applied_score = mapped_column(POINTS)
    applied_snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("score_snapshots.id"))
    selection_rank: Mapped[int | None] = mapped_column(Integer)
    selection_note: Mapped[str] = mapped_column(String(300), default="")
    city_score = mapped_column(POINTS)
    note: Mapped[str] = mapped_column(String(300), default="")

    cycle = relationship("Cycle")
    community = relationship("Community")


class CommunityTitle(db.Model):
    """The title held by a community: named in a cycle, kept by re-examination, or lost."""

    __tablename__ = "community_titles"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    named_in_cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    since = mapped_column(Date, nullable=False)
    lost_on = mapped_column(Date)
