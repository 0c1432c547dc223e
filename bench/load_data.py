"""Data for the HTTP load runs: communities with a household register, two approved residents
per household (so two people of one household race to answer), a published per-household
survey over every community, the report categories, and per resident a login token and the
answer token a phone gets by reading the survey.

The rows are written with bulk inserts; the tokens are issued by server.auth, so the API
checks them exactly as it checks a phone's.
"""
from datetime import timedelta

import sqlalchemy as sa

from server.auth import issue_token
from server.extensions import db
from server.models import (Household, Membership, Resident, Staff, Survey, SurveyBallot,
                           SurveyParticipation)
from server.models.base import utcnow
from server.services import org
from server.services.reports import categories
from server.services.surveys import answering, definitions, lifecycle

PER_HOUSEHOLD = 2


def seed(communities, households_per_community):
    """Build the data; return what the locust users need (tokens, ids, a valid answer)."""
    city = org.ensure_unit("SH", "上海市", "city")
    district = org.ensure_unit("XH", "徐汇区", "district", city)
    street = org.ensure_unit("XH-TP", "天平路街道", "street", district, kind="街道")
    area = org.ensure_unit("XH-TP-R01", "建业里居民区", "residential_area", street)
    places = [org.ensure_community(f"XH-TP-{n:04d}", f"小区{n}", area, "", 
                                   households_per_community, []) for n in range(communities)]
    categories.load_categories()
    staff = Staff(username="bench-city", password_hash="-", role="city", scope_unit=city)
    db.session.add(staff)
    db.session.flush()
    db.session.execute(sa.insert(Household), [
        {"community_id": c.id, "building": str(1 + h // 100), "unit": "1",
         "room": str(101 + h % 100), "created_at": utcnow()}
        for c in places for h in range(households_per_community)])
    homes = db.session.execute(sa.select(Household.id, Household.community_id, Household.building,
                                         Household.room).order_by(Household.id)).all()
    db.session.execute(sa.insert(Resident), [
        {"openid": f"bench-{h.id}-{k}", "nickname": "", "created_at": utcnow()}
        for h in homes for k in range(PER_HOUSEHOLD)])
    ids = dict(db.session.execute(sa.select(Resident.openid, Resident.id)).all())
    db.session.execute(sa.insert(Membership), [
        {"resident_id": ids[f"bench-{h.id}-{k}"], "community_id": h.community_id,
         "building": h.building, "unit": "1", "room": h.room, "status": "approved",
         "reason": "", "household_id": h.id, "applied_at": utcnow(), "decided_at": utcnow()}
        for h in homes for k in range(PER_HOUSEHOLD)])
    survey = _survey(city, staff, places)
    residents = {r.id: r for r in db.session.execute(sa.select(Resident)).scalars()}
    # Both residents of one household are neighbours in the list, so concurrent users that
    # take the next pair race for the same household.
    pairs = []
    for h in homes:
        for k in range(PER_HOUSEHOLD):
            resident = residents[ids[f"bench-{h.id}-{k}"]]
            token, _ = issue_token(resident=resident)
            # What the phone keeps from reading the survey; the server requires it to answer.
            pairs.append({"token": token, "community_id": h.community_id, "household_id": h.id,
                          "answer_token": answering.answer_token(resident, survey)})
    db.session.commit()
    return {"survey_id": survey.id, "answers": valid_answers(survey),
            "category_id": _category_id(), "residents": pairs,
            "community_ids": [c.id for c in places]}


def _survey(city, staff, places):
    now = utcnow()
    survey = Survey(title="满意度调查（压测）", status="published", response_unit="household",
                    definition_version=definitions.CURRENT_DEFINITION,
                    opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=30),
                    owner_unit_id=city.id, created_by_id=staff.id,
                    template_code=definitions.DEFAULT_TEMPLATE_CODE,
                    # Load users answer as soon as they have read it: no minimum answer time.
                    min_duration_seconds=0,
                    questions=lifecycle.build_questions(definitions.DEFAULT_TEMPLATE_QUESTIONS),
                    communities=places)
    db.session.add(survey)
    db.session.flush()
    return survey


def valid_answers(survey):
    """A complete answer: 4 (满意) to each satisfaction question, the first option elsewhere,
    following show_if so that hidden questions are left out."""
    answers = {}
    for q in sorted(survey.questions, key=lambda q: q.position):
        rule = q.show_if
        if rule and answers.get(rule["question"]) not in rule["in"]:
            continue
        if q.kind == "satisfaction":
            answers[q.key] = 4
        elif q.kind == "single":
            answers[q.key] = q.options[0]["value"]
        elif q.kind == "multiple":
            answers[q.key] = [q.options[0]["value"]]
        elif q.required:
            answers[q.key] = "好"
    return answers


def _category_id():
    return next(c.id for c in categories.list_categories() if c.public and not c.emergency)


def survey_counts(survey_id):
    """After a run: ballots, participations, and households that answered more than once."""
    ballots = db.session.execute(sa.select(sa.func.count()).select_from(SurveyBallot).where(
        SurveyBallot.survey_id == survey_id)).scalar_one()
    people = db.session.execute(sa.select(sa.func.count()).select_from(SurveyParticipation)
                                .where(SurveyParticipation.survey_id == survey_id)).scalar_one()
    twice = db.session.execute(sa.select(sa.func.count()).select_from(
        sa.select(SurveyParticipation.household_id).where(
            SurveyParticipation.survey_id == survey_id)
        .group_by(SurveyParticipation.household_id)
        .having(sa.func.count() > 1).subquery())).scalar_one()
    return {"ballots": ballots, "participations": people, "households_twice": twice}
