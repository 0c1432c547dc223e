"""Satisfaction surveys (群众满意度).

Who answered and what they answered live in tables that share no key, order or timestamp:

- `survey_participations` (identity side): which resident or household took part, so that it
  takes part once (a unique constraint on the survey and the respondent key), and the hashed
  Idempotency-Key of the phone's request. No time, no answers.
- `survey_ballots` and `survey_answers` (answer side): the answers, the community and one flag
  derived from the answers themselves (straight-lining). No building, no day, no duration, no
  代填 mark: each of those has a counterpart on the identity side (the household's building,
  the audit log's time and household, the request log's times), and a ballot carrying one of
  them would be narrowed to the few households that share it. Keys are random UUIDs.
  On SQLite the tables are WITHOUT ROWID, so they are stored in random key order; on PostgreSQL
  the privacy mix (server/services/surveys/privacy.py) rewrites them in random order so that
  neither their physical order (ctid) nor their inserting transaction (xmin) is shared with the
  participation rows.
- `survey_comments`: free text, kept apart from the ballot it came with (no ballot id). WeChat's
  content check needs the author's openid while it runs; once it answers, the check row is
  deleted (or, when held for review, stripped of its author and time), so a comment leads to
  no one (server/services/content_checks.py).

docs/surveys.md has the whole argument and what it leaves open.
"""
import uuid

from sqlalchemy import (JSON, Boolean, CheckConstraint, Column, ForeignKey, Index, Integer,
                        String, Table, Text, UniqueConstraint, Uuid)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow
from server.models.content_check import HasContentCheck

SURVEY_STATUSES = ("draft", "published", "closed")
QUESTION_KINDS = ("satisfaction", "single", "multiple", "short_text", "long_text")
RESPONSE_UNITS = ("resident", "household")
AREA_CODES = ("S1", "S2", "S3", "S4", "S5", "S6", "S7")
EXPORT_FORMATS = ("xlsx", "csv")
EXPORT_CONTENTS = ("results", "ballots")
EXPORT_STATES = ("queued", "running", "done", "failed")

survey_communities = Table(
    "survey_communities", db.metadata,
    Column("survey_id", ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
    Column("community_id", ForeignKey("communities.id"), primary_key=True, index=True),
)


class Survey(db.Model):
    __tablename__ = "surveys"
    __table_args__ = (
        CheckConstraint("status IN ('draft','published','closed')", name="status"),
        CheckConstraint("response_unit IN ('resident','household')", name="response_unit"),
        CheckConstraint("opens_at < closes_at", name="window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    intro: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    response_unit: Mapped[str] = mapped_column(String(20), default="household")
    # Surveys made from the same template are compared with each other (the trend).
    template_code: Mapped[str | None] = mapped_column(String(40), index=True)
    # Which definition of 满意率 the results use (server/services/surveys/definitions.py).
    definition_version: Mapped[str] = mapped_column(String(20))
    # A response submitted sooner than this after the survey was first served to the resident
    # is refused with a kind request to look again (see answering.py).
    min_duration_seconds: Mapped[int] = mapped_column(Integer, default=30)
    # Whether flagged (straight-lined) ballots count in the results; they are never deleted.
    count_flagged: Mapped[bool] = mapped_column(Boolean, default=True)
    opens_at = mapped_column(UTCDateTime, nullable=False)
    closes_at = mapped_column(UTCDateTime, nullable=False)
    # The unit whose staff manage the survey: the creator's scope.
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    published_at = mapped_column(UTCDateTime)
    closed_at = mapped_column(UTCDateTime)
    # How many ballots the last privacy mix rewrote; a different count means a mix is due.
    mixed_ballots: Mapped[int] = mapped_column(Integer, default=0)

    owner_unit = relationship("OrgUnit")
    created_by = relationship("Staff")
    communities = relationship("Community", secondary=survey_communities,
                               order_by="Community.id")
    questions = relationship("SurveyQuestion", back_populates="survey",
                             order_by="SurveyQuestion.position", cascade="all, delete-orphan")


class SurveyQuestion(db.Model):
    __tablename__ = "survey_questions"
    __table_args__ = (
        UniqueConstraint("survey_id", "key"),
        CheckConstraint("kind IN ('satisfaction','single','multiple','short_text','long_text')",
                        name="kind"),
        CheckConstraint("kind <> 'satisfaction' OR area_code IS NOT NULL",
                        name="satisfaction_has_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(Integer)
    # Stable within the survey ("q1"); answers and conditions refer to questions by key.
    key: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(200))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    # Choice questions: [{"value": "a", "label": "..."}]; satisfaction levels are fixed.
    options = mapped_column(JSON, nullable=False, default=list)
    area_code: Mapped[str | None] = mapped_column(String(2))
    indicator_code: Mapped[str | None] = mapped_column(String(40))
    # {"question": "q3", "in": ["yes"]}: shown only when that earlier answer is one of these.
    show_if = mapped_column(JSON)

    survey = relationship("Survey", back_populates="questions")


class SurveyParticipation(db.Model):
    """Who took part: the identity side. Carries nothing about the answers or the time."""

    __tablename__ = "survey_participations"
    __table_args__ = (
        # One voice per resident ("r<id>") or per household ("h<id>"), enforced by the
        # database so that simultaneous submissions cannot both succeed.
        UniqueConstraint("survey_id", "respondent_key"),
    )

    # Random, so the order in which people took part is not in the keys.
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    respondent_key: Mapped[str] = mapped_column(String(40))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    # 代填: the committee member who entered a household's paper answers.
    assisted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # sha256 of the resident and the Idempotency-Key: a retry is recognised, the key not kept.
    idempotency_hash: Mapped[str | None] = mapped_column(String(64))


class SurveyBallot(db.Model):
    """What was answered: the answer side. Nothing that the identity side also knows: no
    resident, household, building, time or 代填 mark; only the survey and the community."""

    __tablename__ = "survey_ballots"
    __table_args__ = (
        Index("ix_survey_ballots_survey_community", "survey_id", "community_id"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    # The same level for every satisfaction question: flagged, counted unless the survey says.
    straight_line: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyAnswer(db.Model):
    """One answer of a ballot: a satisfaction level (5..1, 0 = 不了解) or one chosen option
    (a multiple choice has one row per option, `seq` 0, 1, ...)."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        Index("ix_survey_answers_survey_question", "survey_id", "question_id"),
        CheckConstraint("level IS NULL OR (level >= 0 AND level <= 5)", name="level"),
        {"sqlite_with_rowid": False},
    )

    # No ON DELETE CASCADE: the privacy mix deletes and re-inserts ballots in one statement,
    # and a cascade would take their answers with them; NO ACTION is checked at the end of the
    # statement, when the ballots exist again.
    ballot_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("survey_ballots.id"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id",
                                                        ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    # Repeated from the ballot so results and the privacy mix are one indexed range.
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    level: Mapped[int | None] = mapped_column(Integer)
    choice: Mapped[str | None] = mapped_column(String(40))


COMMENT_STATES = ("pending", "shown", "held", "rejected")


class SurveyComment(HasContentCheck, db.Model):
    """A free-text answer, apart from its ballot. Shown to staff without any identity, and
    only once enough exist (see results). `status` carries the content check's outcome, so
    the check row - which knows the author while WeChat looks at the text - can go."""

    __tablename__ = "survey_comments"
    __table_args__ = (
        Index("ix_survey_comments_survey_question", "survey_id", "question_id"),
        CheckConstraint("status IN ('pending','shown','held','rejected')", name="status"),
        # Stored in random-key order on SQLite, like the ballots; the mix shuffles them on
        # PostgreSQL.
        {"sqlite_with_rowid": False},
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id",
                                                        ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    text: Mapped[str] = mapped_column(Text)
    # pending: WeChat's check runs; shown: passed, unchecked or typed by staff; held: waits
    # for staff review; rejected.
    status: Mapped[str] = mapped_column(String(20), default="shown")
    # Released to staff in a batch of at least 8 (server/services/surveys/releases.py).
    released: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyRelease(db.Model):
    """A community's figures as last released: its counts (aggregates.py) when at least five
    ballots had arrived since the release before. Results, exports, the trend and scores read
    these, never the live ballots, so they move in steps of at least five households."""

    __tablename__ = "survey_releases"

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    ballots: Mapped[int] = mapped_column(Integer)
    cells = mapped_column(JSON, nullable=False)
    released_at = mapped_column(UTCDateTime, nullable=False)


class SurveyExport(db.Model):
    """An export produced by a job on the `exports` queue; its requester polls and downloads."""

    __tablename__ = "survey_exports"
    __table_args__ = (
        CheckConstraint("status IN ('queued','running','done','failed')", name="status"),
        CheckConstraint("format IN ('xlsx','csv')", name="format"),
        CheckConstraint("content IN ('results','ballots')", name="content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"),
                                           index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    format: Mapped[str] = mapped_column(String(10))
    content: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(String(300), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    finished_at = mapped_column(UTCDateTime)

    survey = relationship("Survey")
    requested_by = relationship("Staff")
