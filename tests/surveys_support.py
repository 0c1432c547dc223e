"""Helpers for the survey tests: a survey with every question kind, members with a household
in the register, ballots written straight into the tables for the statistics tests."""
import uuid
from datetime import timedelta

import time_machine

from server.extensions import db
from server.models import Household, Membership, Staff, SurveyAnswer, SurveyBallot
from server.models.base import utcnow
from tests.builders import make_resident, make_staff

QUESTIONS = [
    {"key": "q1", "kind": "satisfaction", "text": "您对小区环境卫生是否满意？", "area_code": "S4",
     "indicator_code": "S4-Q-1"},
    {"key": "q2", "kind": "satisfaction", "text": "您对小区治安是否满意？", "area_code": "S5"},
    {"key": "q3", "kind": "single", "text": "您是否参加过小区活动？",
     "options": [{"value": "yes", "label": "参加过"}, {"value": "no", "label": "没有"}]},
    {"key": "q4", "kind": "satisfaction", "text": "您对参加过的活动是否满意？", "area_code": "S1",
     "show_if": {"question": "q3", "in": ["yes"]}},
    {"key": "q5", "kind": "multiple", "text": "希望改进哪些方面？", "required": False,
     "options": [{"value": "clean", "label": "卫生"}, {"value": "green", "label": "绿化"},
                 {"value": "parking", "label": "停车"}]},
    {"key": "q6", "kind": "long_text", "text": "其他意见建议", "required": False},
]


def survey_body(community_ids, **overrides):
    now = utcnow()
    body = {"title": "2026年居民满意度调查", "intro": "请如实填写",
            "community_ids": community_ids, "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=14)).isoformat(), "questions": QUESTIONS}
    body.update(overrides)
    return body


def create_survey(staff_api, community_ids, publish=True, **overrides):
    response = staff_api.post("/api/v1/surveys", json=survey_body(community_ids, **overrides))
    assert response.status_code == 201, response.json
    survey_id = response.json["id"]
    if publish:
        published = staff_api.post(f"/api/v1/surveys/{survey_id}/publish")
        assert published.status_code == 200, published.json
    return survey_id


def answers(q1=5, q2=4, q3="no", **extra):
    return {"q1": q1, "q2": q2, "q3": q3, **extra}


def answer_token(resident_api, survey_id):
    """The token a resident's phone keeps from reading the survey (None for staff)."""
    return resident_api.get(f"/api/v1/surveys/{survey_id}").json.get("answer_token")


def submit(resident_api, survey_id, body_answers=None, key=None, token=None, **extra):
    """Read the survey (as the phone does), let the minimum answer time pass, then submit."""
    headers = {"Idempotency-Key": key} if key else None
    body = {"answers": answers() if body_answers is None else body_answers, **extra}
    if token is None and "household_id" not in extra:
        token = answer_token(resident_api, survey_id)
        with time_machine.travel(utcnow() + timedelta(minutes=5), tick=False):
            return resident_api.post(f"/api/v1/surveys/{survey_id}/responses",
                                     headers=headers, json={**body, "answer_token": token}
                                     if token else body)
    if token:
        body["answer_token"] = token
    return resident_api.post(f"/api/v1/surveys/{survey_id}/responses", headers=headers,
                             json=body)


def household(community, building="1", unit="1", room="101"):
    row = Household(community_id=community.id, building=building, unit=unit, room=room)
    db.session.add(row)
    db.session.commit()
    return row


def member(api, community, openid, building="1", unit="1", room="101", registered=True):
    """An approved resident (logged in through the API) whose address is in the register."""
    if registered:
        existing = db.session.execute(db.select(Household).filter_by(
            community_id=community.id, building=building, unit=unit,
            room=room)).scalar_one_or_none()
        row = existing or household(community, building, unit, room)
    resident = make_resident(openid)
    db.session.add(Membership(resident=resident, community=community, building=building,
                              unit=unit, room=room, status="approved",
                              household=row if registered else None))
    db.session.commit()
    return api.as_resident(openid)


def committee(api):
    """The committee of the org fixture's community A (created on first use)."""
    staff = db.session.execute(db.select(Staff).filter_by(
        username="committee-xh-tp-r01")).scalar_one_or_none()
    return api.as_staff(staff or make_staff("committee", "XH-TP-R01"))


def add_ballots(survey, community, levels, count=1, straight_line=False, choices=None):
    """`count` identical ballots; `levels` maps question key -> level, `choices` key -> list."""
    questions = {q.key: q for q in survey.questions}
    for _ in range(count):
        ballot = SurveyBallot(id=uuid.uuid4(), survey_id=survey.id, community_id=community.id,
                              straight_line=straight_line)
        db.session.add(ballot)
        db.session.flush()
        for key, level in levels.items():
            db.session.add(SurveyAnswer(ballot_id=ballot.id, question_id=questions[key].id,
                                        survey_id=survey.id, seq=0, level=level))
        for key, values in (choices or {}).items():
            db.session.add_all(SurveyAnswer(ballot_id=ballot.id, question_id=questions[key].id,
                                            survey_id=survey.id, seq=i, choice=v)
                               for i, v in enumerate(values))
    db.session.commit()
