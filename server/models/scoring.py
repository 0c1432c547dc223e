"""The evaluation system (测评体系) as data, entered indicators, and score snapshots.

A framework version is a tree area (S1-S7) -> indicator, loaded from a file by the city office.
Once a score has been computed with a version, the version is frozen (`locked_at`): the ORM
refuses to change or delete it or its indicators, so every old snapshot keeps meaning what it
said. A new version replaces it instead.
"""
from sqlalchemy import (JSON, CheckConstraint, Date, ForeignKey, Index, Integer, Numeric, String,
                        UniqueConstraint, event)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow

AREAS = ("S1", "S2", "S3", "S4", "S5", "S6", "S7")
METHODS = ("questionnaire", "supervision", "field_inspection", "material_review")
COMPUTED_METHODS = ("questionnaire", "supervision")
ENTERED_METHODS = ("field_inspection", "material_review")
# What a supervision indicator measures, from the report figures.
SUPERVISION_METRICS = ("on_time", "fixed", "satisfaction")
# What a questionnaire indicator reads: answers tagged with its own code, or its whole area.
QUESTIONNAIRE_BASES = ("indicator", "area")
REVIEW_DECISIONS = ("agree", "change")

POINTS = Numeric(7, 2)


class FrameworkLocked(RuntimeError):
    pass


class Framework(db.Model):
    __tablename__ = "frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # The shipped default is illustrative, not the city's real system; the API says so.
    illustrative: Mapped[bool] = mapped_column(default=False)
    notice: Mapped[str] = mapped_column(String(500), default="")
    source = mapped_column(JSON, nullable=False)  # the file as loaded, for the record
    loaded_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    locked_at = mapped_column(UTCDateTime)

    indicators = relationship("Indicator", back_populates="framework",
                              order_by="Indicator.position", cascade="all, delete-orphan")


class Indicator(db.Model):
    __tablename__ = "indicators"
    __table_args__ = (
        UniqueConstraint("framework_id", "code"),
        CheckConstraint("area IN ('S1','S2','S3','S4','S5','S6','S7')", name="area"),
        CheckConstraint("method IN ('questionnaire','supervision','field_inspection',"
                        "'material_review')", name="method"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    area: Mapped[str] = mapped_column(String(2))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    weight = mapped_column(POINTS, nullable=False)
    method: Mapped[str] = mapped_column(String(20))
    # questionnaire: indicator | area; supervision: on_time | fixed | satisfaction.
    basis: Mapped[str | None] = mapped_column(String(20))
    # {"type": "grades", "grades": [{"grade": "A", "factor": 1.0, "min": 90?}, ...]}
    # or {"type": "linear", "low": 60, "high": 95}
    rule = mapped_column(JSON, nullable=False)
    # None: the sample for +-10 points at 95% for the community's household count.
    min_sample: Mapped[int | None] = mapped_column(Integer)

    framework = relationship("Framework", back_populates="indicators")


@event.listens_for(Framework, "before_update")
@event.listens_for(Framework, "before_delete")
def _framework_frozen(mapper, connection, target):
    # Only the value before this flush counts: locking an unlocked version is allowed.
    history = db.inspect(target).attrs.locked_at.history
    before = (history.deleted or history.unchanged or [None])[0]
    if before is not None:
        raise FrameworkLocked(f"framework {target.version} was used for a score")


@event.listens_for(Indicator, "before_update")
@event.listens_for(Indicator, "before_delete")
def _indicator_frozen(mapper, connection, target):
    locked = connection.execute(db.select(Framework.locked_at).where(
        Framework.id == target.framework_id)).scalar()
    if locked is not None:
        raise FrameworkLocked(f"indicator {target.code} belongs to a framework used for a score")


class IndicatorEntry(db.Model):
    """An entered indicator (field inspection, material review) of one community in one cycle:
    the committee's self-assessment, then the street's and the district's review."""

    __tablename__ = "indicator_entries"
    __table_args__ = (UniqueConstraint("community_id", "cycle_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    # A grade for a grade rule, a number (as text, exact) for a linear rule.
    self_value: Mapped[str] = mapped_column(String(20))
    self_note: Mapped[str] = mapped_column(String(500), default="")
    evidence = mapped_column(JSON, nullable=False, default=list)
    self_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    self_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    street_decision: Mapped[str | None] = mapped_column(String(10))
    street_value: Mapped[str | None] = mapped_column(String(20))
    street_reason: Mapped[str] = mapped_column(String(500), default="")
    street_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    street_at = mapped_column(UTCDateTime)
    district_decision: Mapped[str | None] = mapped_column(String(10))
    district_value: Mapped[str | None] = mapped_column(String(20))
    district_reason: Mapped[str] = mapped_column(String(500), default="")
    district_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    district_at = mapped_column(UTCDateTime)

    indicator = relationship("Indicator")

    @property
    def reviewed_value(self):
        """The value the score uses: the highest level that has reviewed it."""
        return self.district_value or self.street_value


class ScoreSnapshot(db.Model):
    """One recompute of one community's score in one cycle, with everything it was computed
    from (`items`: per indicator value, points, source and sample), so a score on a given date
    can be shown later and traced. Recomputes whose inputs did not change write nothing."""

    __tablename__ = "score_snapshots"
    # "The latest snapshot of a community in a cycle" is the highest id: one index seek.
    __table_args__ = (Index("ix_score_snapshots_latest", "community_id", "cycle_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"), index=True)
    computed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    reason: Mapped[str] = mapped_column(String(60))
    total = mapped_column(POINTS, nullable=False)  # points known (reviewed values)
    self_total = mapped_column(POINTS, nullable=False)  # points known (self-assessed values)
    unknown_points = mapped_column(POINTS, nullable=False)
    satisfaction_part = mapped_column(POINTS)
    supervision_part = mapped_column(POINTS)
    digest: Mapped[str] = mapped_column(String(64))
    items = mapped_column(JSON, nullable=False)
    areas = mapped_column(JSON, nullable=False)


class VetoEvent(db.Model):
    """An event of 第十条 that bars a new application for 12 months. Staff only.

    Recorded on a community; an event of 第十条（一） (the residential area's two committees)
    also carries the residential area and bars every community of it. Never deleted: a wrong
    entry is corrected or withdrawn with a reason, and the audit log keeps every version."""

    __tablename__ = "veto_events"
    __table_args__ = (
        CheckConstraint("kind IN ('committee_misconduct','major_crime','mass_incident',"
                        "'vice_or_cult','public_safety')", name="kind"),
        CheckConstraint("status IN ('active','withdrawn')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    # Set for 第十条（一）: the unit the event concerns is the residential area.
    residential_area_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"),
                                                            index=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    withdrawn_reason: Mapped[str] = mapped_column(String(300), default="")
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    withdrawn_at = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(30))
    occurred_on = mapped_column(Date, nullable=False)
    note: Mapped[str] = mapped_column(String(500), default="")
    evidence = mapped_column(JSON, nullable=False, default=list)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
