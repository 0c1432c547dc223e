"""A database dump offers no way to link a ballot to a resident: no shared key, no time at
all, and - after the privacy mix - neither physical order nor inserting transaction in common
with the participations. (tests/services/test_survey_dump_attack.py plays the whole attack.)"""
import uuid

import pytest
import sqlalchemy as sa

from server.models import (Survey, SurveyAnswer, SurveyBallot, SurveyComment,
                           SurveyParticipation)
from server.services.surveys import privacy
from tests.surveys_support import committee, create_survey, member, submit

ANSWER_SIDE = (SurveyBallot, SurveyAnswer, SurveyComment)
IDENTITY_TABLES = {"residents", "households", "survey_participations", "staff", "memberships"}
N = 10


def postgres(db):
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def answered(api, org, db):
    """N residents, each in a building of their own, answer in a known order; the fixture
    keeps the order in which their ballots appeared."""
    survey_id = create_survey(committee(api), [org.community.id])
    survey = db.session.get(Survey, survey_id)
    survey.ballot_order = []
    for i in range(N):
        resident = member(api, org.community, f"m{i}", building=str(i + 1))
        assert submit(resident, survey_id).status_code == 201
        ids = set(db.session.execute(db.select(SurveyBallot.id)).scalars())
        survey.ballot_order += list(ids - set(survey.ballot_order))
    return survey


def test_the_answer_side_has_no_key_or_time_that_points_at_people():
    for model in ANSWER_SIDE:
        table = model.__table__
        targets = {fk.column.table.name for fk in table.foreign_keys}
        assert not targets & IDENTITY_TABLES, table.name
        kinds = {type(c.type).__name__ for c in table.columns}
        assert not kinds & {"UTCDateTime", "DateTime", "Date"}, table.name
        assert not {c.name for c in table.columns} & {"building", "assisted", "too_fast",
                                                      "duration_seconds"}, table.name
        assert not any(c.autoincrement is True for c in table.columns)
    participation = {c.name for c in SurveyParticipation.__table__.columns}
    assert not participation & {"ballot_id", "created_at", "answered_on", "answers", "building"}


def test_ballot_ids_are_random(answered, db):
    ballots = db.session.execute(db.select(SurveyBallot)).scalars().all()
    assert len(ballots) == N and all(b.id.version == 4 for b in ballots)
    participations = db.session.execute(db.select(SurveyParticipation)).scalars().all()
    assert {p.id for p in participations}.isdisjoint({b.id for b in ballots})
    assert all(isinstance(p.id, uuid.UUID) and p.id.version == 4 for p in participations)


def _physical_order(db, table, column):
    # What a dump (pg_dump, or reading the SQLite file) lists: rows in storage order.
    return [row[0] for row in db.session.execute(sa.text(f"SELECT {column} FROM {table}"))]


def _participation_buildings(db):
    return [row[0] for row in db.session.execute(sa.text(
        "SELECT h.building FROM (SELECT household_id, "
        + ("ctid" if postgres(db) else "rowid") + " AS pos FROM survey_participations) p "
        "JOIN households h ON h.id = p.household_id ORDER BY p.pos"))]


def test_storage_order_of_ballots_does_not_follow_the_order_of_answering(answered, db):
    submitted = [str(i + 1) for i in range(N)]
    assert _participation_buildings(db) == submitted  # the identity side keeps its order
    # SQLite keeps a UUID as 32 hex digits, PostgreSQL as a uuid: compare them as UUIDs.
    came = [uuid.UUID(str(i)).hex for i in answered.ballot_order]
    if postgres(db):
        # Before the mix PostgreSQL stores ballots in the order they came: joinable by rank.
        assert [uuid.UUID(str(i)).hex for i in _physical_order(db, "survey_ballots", "id")] == came
    privacy.mix(answered.id)
    db.session.expire_all()
    order = [uuid.UUID(str(i)).hex for i in _physical_order(db, "survey_ballots", "id")]
    assert sorted(order) == sorted(came) and order != came


def test_sqlite_ballot_tables_have_no_insertion_rowid(answered, db):
    if postgres(db):
        pytest.skip("SQLite storage")
    for table in ("survey_ballots", "survey_answers", "survey_comments"):
        with pytest.raises(sa.exc.OperationalError):
            db.session.execute(sa.text(f"SELECT rowid FROM {table}"))
        db.session.rollback()


def test_after_the_mix_ballots_share_no_transaction_with_participations(answered, db):
    if not postgres(db):
        pytest.skip("transaction ids on rows are PostgreSQL's")

    def xmins(table):
        return [int(r[0]) for r in db.session.execute(sa.text(f"SELECT xmin::text::bigint "
                                                              f"FROM {table}"))]

    assert set(xmins("survey_ballots")) == set(xmins("survey_participations"))
    assert privacy.mix_due() == 1
    db.session.commit()
    assert len(xmins("survey_answers")) == N * 3  # q1, q2, q3 of each ballot, all kept
    after = set(xmins("survey_ballots")) | set(xmins("survey_answers"))
    assert len(after) == 1 and after.isdisjoint(xmins("survey_participations"))


def test_the_mix_keeps_every_answer_and_runs_only_when_needed(answered, db):
    before = sorted((str(a.question_id), a.level, a.choice or "") for a in
                    db.session.execute(db.select(SurveyAnswer)).scalars())
    assert privacy.due() == [answered.id]
    assert privacy.mix_due() == 1 and privacy.mix_due() == 0
    db.session.expire_all()
    after = sorted((str(a.question_id), a.level, a.choice or "") for a in
                   db.session.execute(db.select(SurveyAnswer)).scalars())
    assert after == before and db.session.get(Survey, answered.id).mixed_ballots == N
