"""The rules that count days, at instants where the UTC date and the Shanghai date differ.

Each test freezes an instant written on the Shanghai wall clock (00:00-08:00 there is still the
day before in UTC) and asserts the date a person in Shanghai would expect. Code that read the
machine's date, or UTC's, would land on the day before.
"""
from datetime import date, datetime, timedelta, timezone

import pytest

from server.extensions import db as _db
from server.models import IndicatorEntry, Staff, SurveyBallot, VetoEvent
from server.services.scoring import clock as scoring_clock, compute, eligibility
from tests import scoring_fixtures as fx
from tests.builders import make_staff
from tests.clock import at, shanghai
from tests.reports_helpers import ReportWorld
from tests.surveys_support import answer_token, answers, committee, create_survey, member, submit


def ends(day):
    """The UTC instant a Shanghai day ends: how deadlines are stored and served."""
    return shanghai(day.year, day.month, day.day) + timedelta(days=1)


def due(report, stage):
    return datetime.fromisoformat(report[f"{stage}_due_at"]).astimezone(timezone.utc)


def test_the_frozen_instants_really_split_the_dates():
    moment = shanghai(2026, 1, 1, 0, 30)
    assert moment.astimezone(timezone.utc).date() == date(2025, 12, 31)
    with at(moment):
        assert scoring_clock.today() == date(2026, 1, 1)


# --- reports: filing day and working-day deadlines ------------------------------------------

@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def test_a_report_filed_at_23_30_on_31_december_counts_in_december(world):
    with at(shanghai(2025, 12, 31, 23, 30), tick=False):
        report = world.file()
        december = world.street.get("/api/v1/reports/figures?since=2025-12-01&until=2025-12-31")
        january = world.street.get("/api/v1/reports/figures?since=2026-01-01&until=2026-01-31")
    assert december.json["items"][0]["reports"] == 1
    assert january.json["items"] == [] or january.json["items"][0]["reports"] == 0
    # 1 and 2 January are the New Year holiday, 3 January a Saturday; Sunday 4 January is the
    # make-up working day (调休), so first contact is due by the end of it.
    assert due(report, "contact") == ends(date(2026, 1, 4))


def test_a_report_filed_at_00_30_on_1_january_counts_in_january(world):
    with at(shanghai(2026, 1, 1, 0, 30), tick=False):  # 31 December 16:30 in UTC
        world.file()
        december = world.street.get("/api/v1/reports/figures?since=2025-12-01&until=2025-12-31")
        january = world.street.get("/api/v1/reports/figures?since=2026-01-01&until=2026-01-31")
    assert january.json["items"][0]["reports"] == 1
    assert december.json["items"] == [] or december.json["items"][0]["reports"] == 0


def test_a_report_filed_early_on_31_december_is_not_due_the_same_day(world):
    # 00:30 on 31 December in Shanghai is still 30 December in UTC: counted from the 30th, the
    # first working day after it would be the 31st itself.
    with at(shanghai(2025, 12, 31, 0, 30), tick=False):
        report = world.file()
    assert due(report, "contact") == ends(date(2026, 1, 4))
    # resolve_days 5: 4, 5, 6, 7, 8 January.
    assert due(report, "resolve") == ends(date(2026, 1, 8))


def test_a_deadline_across_the_spring_festival_counts_its_make_up_days(world):
    # Friday 13 February 2026, 07:00 in Shanghai (12 February in UTC). Saturday the 14th is a
    # make-up working day; 15-23 February are the Spring Festival holiday.
    with at(shanghai(2026, 2, 13, 7, 0), tick=False):
        report = world.file()
    assert due(report, "contact") == ends(date(2026, 2, 14))
    assert due(report, "accept") == ends(date(2026, 2, 14))
    # 14, 24, 25, 26, 27 February.
    assert due(report, "resolve") == ends(date(2026, 2, 27))


# --- rectification due "today" --------------------------------------------------------------

def _order(world, deadline):
    report = world.file()
    return world.street.post("/api/v1/rectifications", json={
        "community_id": world.org.community.id, "title": "楼道堆物整改",
        "requirement": "清理 2 号楼楼道堆物", "report_ids": [report["id"]],
        "deadline": deadline.isoformat()})


def test_a_rectification_due_today_is_accepted_and_not_overdue_until_the_day_ends(world, db):
    with at(shanghai(2026, 3, 10, 7, 30), tick=False):  # 9 March in UTC
        assert _order(world, date(2026, 3, 9)).status_code == 422
        order = _order(world, date(2026, 3, 10))
        assert order.status_code == 201 and order.json["overdue"] is False
    url = f"/api/v1/rectifications/{order.json['id']}"
    street = db.session.execute(db.select(Staff).filter_by(role="street")).scalar_one()
    with at(shanghai(2026, 3, 10, 23, 59), tick=False):
        assert world.api.as_staff(street).get(url).json["overdue"] is False
    with at(shanghai(2026, 3, 11, 0, 1), tick=False):  # still 10 March in UTC
        assert world.api.as_staff(street).get(url).json["overdue"] is True


# --- a survey closing at midnight -------------------------------------------------------------

def test_a_survey_closing_at_midnight_takes_answers_until_shanghai_midnight(api, org, db):
    with at(shanghai(2026, 2, 25, 10, 0), tick=False):
        # A time without an offset is Shanghai's: midnight between 28 February and 1 March.
        survey_id = create_survey(committee(api), [org.community.id],
                                  closes_at="2026-03-01T00:00:00")
        early, late, too_late = (member(api, org.community, openid, room=room)
                                 for openid, room in (("m1", "101"), ("m2", "102"),
                                                      ("m3", "103")))
    with at(shanghai(2026, 2, 28, 7, 30), tick=False):  # 27 February in UTC
        assert submit(early, survey_id).status_code == 201
    with at(shanghai(2026, 2, 28, 23, 50), tick=False):
        token = answer_token(late, survey_id)  # the phone read the survey before midnight
    with at(shanghai(2026, 2, 28, 23, 59), tick=False):
        assert submit(late, survey_id, answers(q1=4), token=token).status_code == 201
    with at(shanghai(2026, 3, 1) + timedelta(seconds=30), tick=False):
        refused = submit(too_late, survey_id)
    assert refused.status_code == 409 and refused.json["error"] == "survey_not_open"
    # Ballots carry no day (survey privacy): the two accepted answers are all there is.
    assert db.session.execute(db.select(db.func.count(SurveyBallot.id))).scalar_one() == 2


# --- the evaluation: veto window, creation period, cycle years --------------------------------

def _applicant(org, cycle_start, started=date(2021, 1, 1)):
    """A self-assessed community scoring 100 in a cycle starting `cycle_start`."""
    fw = fx.load(fx.only_entered())
    cycle = fx.make_cycle(cycle_start, fw)
    fx.participate(cycle, org.community, started=started)
    committee_staff = make_staff("committee", "XH-TP-R01")
    _db.session.add(IndicatorEntry(community_id=org.community.id, cycle_id=cycle.id,
                                   indicator_id=fw.indicators[0].id, self_value="A",
                                   self_by_id=committee_staff.id, street_decision="agree",
                                   street_value="A",
                                   street_by_id=make_staff("street", "XH-TP").id))
    _db.session.commit()
    compute.recompute([org.community.id], "test", cycle=cycle)
    return cycle


def _codes(answer):
    return [r["code"] for r in answer["reasons"]]


def test_the_12_month_veto_window_ends_with_the_year(app, db, org):
    with at(shanghai(2027, 1, 1, 12, 0), tick=False):
        _applicant(org, 2027)
        street = db.session.execute(db.select(Staff).filter_by(role="street")).scalar_one()
        db.session.add(VetoEvent(community_id=org.community.id, kind="major_crime",
                                 occurred_on=date(2026, 1, 1), recorded_by_id=street.id,
                                 evidence=[]))
        db.session.commit()
    # 1 January 2027, 00:30 in Shanghai, 31 December 2026 in UTC: the event of 1 January 2026
    # is still inside the 12 months before today.
    with at(shanghai(2027, 1, 1, 0, 30), tick=False):
        answer = eligibility.answer(org.community)
    assert _codes(answer) == ["veto_event"] and answer["eligible_from"] == "2027-01-02"
    with at(shanghai(2027, 1, 2, 0, 30), tick=False):  # 1 January in UTC
        assert eligibility.answer(org.community)["eligible"] is True


def test_the_three_year_creation_period_is_complete_on_new_years_day(app, db, org):
    with at(shanghai(2027, 1, 1, 12, 0), tick=False):
        _applicant(org, 2027, started=date(2024, 1, 1))
    with at(shanghai(2027, 1, 1, 0, 30), tick=False):  # 31 December 2026 in UTC
        answer = eligibility.answer(org.community)
    assert answer["eligible"] is True, answer["reasons"]


def test_a_creation_period_ending_on_new_years_eve_is_not_complete_that_day(app, db, org):
    with at(shanghai(2027, 1, 1, 12, 0), tick=False):
        _applicant(org, 2027, started=date(2024, 1, 2))
    with at(shanghai(2027, 1, 1, 7, 59), tick=False):
        answer = eligibility.answer(org.community)
    assert _codes(answer) == ["creation_period"]
    assert answer["eligible_from"] == "2027-01-02"


@pytest.mark.parametrize("instant, year", [
    (shanghai(2025, 1, 1, 0, 30), 1),     # the cycle's first day; 2024 in UTC
    (shanghai(2025, 12, 31, 23, 30), 1),
    (shanghai(2026, 1, 1, 0, 30), 2),     # still 2025 in UTC
    (shanghai(2026, 12, 31, 23, 30), 2),
    (shanghai(2027, 1, 1, 0, 30), 3),     # still 2026 in UTC
])
def test_the_cycle_year_turns_at_shanghai_midnight(app, db, instant, year):
    cycle = fx.make_cycle(2025)
    with at(instant, tick=False):
        assert scoring_clock.current_cycle().id == cycle.id
        assert scoring_clock.cycle_year(cycle) == year


def test_applying_is_open_in_year_one_and_closed_from_year_two(app, db, org):
    with at(shanghai(2025, 6, 1, 12, 0), tick=False):
        _applicant(org, 2025)
    with at(shanghai(2025, 12, 31, 23, 30), tick=False):
        assert eligibility.answer(org.community)["eligible"] is True
    with at(shanghai(2026, 1, 1, 0, 30), tick=False):  # 31 December 2025 in UTC
        answer = eligibility.answer(org.community)
    assert _codes(answer) == ["not_year_one"] and answer["eligible_from"] == "2028-01-01"
