"""City-wide three-year creation cycles, district quotas, each community's stage in a cycle, and
the title (上海市文明小区) a community holds."""
from sqlalchemy import (CheckConstraint, Date, ForeignKey, Index, Integer, String,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow
from server.models.scoring import POINTS

# DOMAIN.md: not_participating -> creating -> self_assessed -> applied (or review_applied) ->
# district_selected -> city_assessed -> consulted -> named | not_named; review: title_kept |
# title_lost.
# 第十一条（三）–（五）: city_assessed -> preliminary (初步候选名单) -> consulted (意见征询) ->
# formal_candidate (正式候选名单) -> approved (市文明委审议通过) -> named.
STAGES = ("not_participating", "creating", "self_assessed", "applied", "review_applied",
          "district_selected", "city_assessed", "preliminary", "consulted", "formal_candidate",
          "approved", "named", "not_named", "title_kept", "title_lost")
CREATION_SOURCES = ("first_stage", "street_record")
CITY_STEPS = ("preliminary", "opinion", "consulted", "formal", "approval", "naming", "not_named",
              "re_examination")


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
    # 第十一条（三）: how many the city names in this cycle (按照既定名额); None: not set yet.
    city_quota: Mapped[int | None] = mapped_column(Integer)

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
                        "'review_applied','district_selected','city_assessed','preliminary',"
                        "'consulted','formal_candidate','approved','named','not_named',"
                        "'title_kept','title_lost')", name="stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), default="not_participating")
    stage_since = mapped_column(Date, nullable=False)
    # 第十条: a new application needs three years of creation counted from this date.
    creation_started_on = mapped_column(Date)
    # Where that date comes from: the first stage the system saw, or a record the street
    # confirmed (its reference in creation_record). Never the committee's own say-so.
    creation_source: Mapped[str | None] = mapped_column(String(20))
    creation_record: Mapped[str] = mapped_column(String(300), default="")
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
    """The title held by a community: named in a cycle, kept by re-examination, or lost
    (re-examination failed) or lapsed (no re-examination applied for in year 1, 第十二条)."""

    __tablename__ = "community_titles"
    __table_args__ = (CheckConstraint("end_reason IS NULL OR end_reason IN "
                                      "('review_failed','lapsed')", name="end_reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    named_in_cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    since = mapped_column(Date, nullable=False)
    # The latest re-examination passed, and the cycle it was passed in.
    kept_on = mapped_column(Date)
    kept_in_cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    lost_on = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(20))


class CityDecision(db.Model):
    """A recorded step of the city's part (第十一条（三）–（五）, 第十二条): a community put on
    the preliminary list, a department's opinion, the consultation closed, the formal candidate
    list, the city committee's approval, the naming, a re-examination result - who and when."""

    __tablename__ = "city_decisions"
    __table_args__ = (
        CheckConstraint("step IN ('preliminary','opinion','consulted','formal','approval',"
                        "'naming','not_named','re_examination')", name="step"),
        Index("ix_city_decisions_participation", "participation_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id"))
    step: Mapped[str] = mapped_column(String(20))
    # preliminary/formal/approval/naming: in; opinion: agree | object; re-examination:
    # passed | failed; not_named: out.
    outcome: Mapped[str] = mapped_column(String(10))
    department: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    decided_on = mapped_column(Date, nullable=False)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
