"""Builders for the evaluation's tests: a small framework, a cycle, a fixed calendar, survey
ballots and closed reports inserted as rows (their services are tested on their own)."""
import uuid
from datetime import date, datetime, time, timezone

import pytest
import time_machine

from server.extensions import db
from server.models import Cycle, CycleQuota, Participation
from server.models.report import Report, ReportCategory
from server.models.survey import (Survey, SurveyAnswer, SurveyBallot, SurveyParticipation,
                                  SurveyQuestion, survey_communities)
from server.services.scoring import clock, framework

GRADES = {"type": "grades", "grades": {"A": 1.0, "B": 0.8, "C": 0.6}}

# Weights 30 + 10 + 20 + 25 + 15 = 100.
SMALL = {
    "version": "TEST-1", "name": "测试用测评体系", "illustrative": True,
    "areas": {
        "S4": [{"code": "S4.Q", "name": "生活环境满意度", "weight": 30, "method": "questionnaire",
                "basis": "area", "rule": {"type": "linear", "low": 70, "high": 95},
                "min_sample": 4}],
        "S1": [{"code": "S1.Q", "name": "宣讲满意度", "weight": 10, "method": "questionnaire",
                "rule": {"type": "linear", "low": 70, "high": 95}, "min_sample": 3}],
        "S7": [{"code": "S7.M", "name": "实际解决率", "weight": 20, "method": "supervision",
                "basis": "fixed", "rule": {"type": "linear", "low": 60, "high": 95},
                "min_sample": 4},
               {"code": "S7.1", "name": "工作机制（材料）", "weight": 15,
                "method": "material_review", "rule": GRADES}],
        "S5": [{"code": "S5.1", "name": "消防通道（实地）", "weight": 25,
                "method": "field_inspection", "rule": GRADES}],
    },
}


def only_entered(weights=(("S4.1", 100),), factors=None):
    """A framework of entered indicators only, for exact totals (95 vs 94.99)."""
    rule = {"type": "grades", "grades": factors or {"A": 1.0, "B": 0.9499, "C": 0.6}}
    return {"version": f"TEST-ENTERED-{len(weights)}-{len(rule['grades'])}", "name": "测试",
            "areas": {"S4": [{"code": code, "name": code, "weight": weight,
                              "method": "field_inspection", "rule": rule}
                             for code, weight in weights]}}


def load(data):
    fw = framework.load(data)
    db.session.commit()
    return fw


@pytest.fixture
def calendar():
    """Move the Shanghai calendar to a day: `calendar(date(2027, 3, 2))` (time-machine, from
    noon Shanghai time, ticking, so the day does not change under a test)."""
    travellers = []

    def move(day):
        while travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(datetime.combine(day, time(12), tzinfo=clock.SHANGHAI))
        traveller.start()
        travellers.append(traveller)
        assert clock.today() == day

    yield move
    while travellers:
        travellers.pop().stop()


def make_cycle(start_year=2025, fw=None, quotas=None):
    cycle = Cycle(start_year=start_year, end_year=start_year + 2, name=f"{start_year}周期",
                  framework=fw)
    for district, quota in (quotas or {}).items():
        cycle.quotas.append(CycleQuota(district_id=district.id, quota=quota))
    db.session.add(cycle)
    db.session.commit()
    return cycle


def participate(cycle, community, stage="self_assessed", started=date(2021, 1, 1)):
    part = Participation(cycle_id=cycle.id, community_id=community.id, stage=stage,
                         stage_since=date(cycle.start_year, 1, 1), creation_started_on=started)
    db.session.add(part)
    db.session.commit()
    return part


def add_survey(community, staff, ballots, closed_at=datetime(2026, 6, 30, tzinfo=timezone.utc),
               questions=(("q1", "S4", "S4-Q-1"), ("q2", "S4", "S4-Q-2"), ("q3", "S1", "S1.Q"))):
    """`ballots`: one dict per ballot, question key -> level (0 = 不了解)."""
    survey = Survey(title="满意度调查", definition_version="SH-2021-v1", status="closed",
                    opens_at=datetime(2026, 6, 1, tzinfo=timezone.utc), closes_at=closed_at,
                    closed_at=closed_at, owner_unit_id=staff.scope_unit_id,
                    created_by_id=staff.id)
    db.session.add(survey)
    db.session.flush()
    db.session.execute(survey_communities.insert().values(survey_id=survey.id,
                                                          community_id=community.id))
    by_key = {}
    for position, (key, area, indicator) in enumerate(questions):
        question = SurveyQuestion(survey_id=survey.id, position=position, key=key,
                                  kind="satisfaction", text=key, area_code=area,
                                  indicator_code=indicator, options=[])
        db.session.add(question)
        by_key[key] = question
    db.session.flush()
    for n, levels in enumerate(ballots):
        ballot = SurveyBallot(id=uuid.uuid4(), survey_id=survey.id, community_id=community.id)
        db.session.add(ballot)
        db.session.add(SurveyParticipation(survey_id=survey.id, respondent_key=f"h{n}",
                                           community_id=community.id))
        db.session.flush()  # answers point at the ballot, which has no ORM relationship
        for key, level in levels.items():
            db.session.add(SurveyAnswer(ballot_id=ballot.id, question_id=by_key[key].id,
                                        survey_id=survey.id, level=level))
    db.session.commit()
    return survey


def add_reports(community, resident, specs, closed_at=datetime(2026, 7, 1, tzinfo=timezone.utc)):
    """`specs`: (close_reason, fixed, rating) per closed report."""
    category = db.session.execute(db.select(ReportCategory).filter_by(
        code="test-env")).scalar_one_or_none()
    if category is None:
        category = ReportCategory(code="test-env", name="环境卫生", area="S4",
                                  handler="committee")
        db.session.add(category)
        db.session.flush()
    for reason, fixed, rating in specs:
        accepted = reason not in ("rejected", "merged")
        db.session.add(Report(
            community_id=community.id, category_id=category.id, reporter_id=resident.id,
            description="楼道堆物", status="closed" if accepted else reason,
            close_reason=reason, fixed=fixed,
            accepted_at=datetime(2026, 6, 21, tzinfo=timezone.utc) if accepted else None,
            rating=rating, created_at=datetime(2026, 6, 20, tzinfo=timezone.utc),
            resolve_due_at=datetime(2026, 6, 30, tzinfo=timezone.utc),
            resolved_at=datetime(2026, 6, 28, tzinfo=timezone.utc), closed_at=closed_at))
    db.session.commit()
