"""Results: numbers equal to a hand computation, and every figure - rates, counts, flags,
the response rate, communities, comments, the trend - published only on 5 households."""
import uuid
from datetime import timedelta

import pytest

from server.models import Community, Household, Survey, SurveyComment
from server.models.base import utcnow
from server.services.surveys import definitions
from tests.builders import make_staff
from tests.surveys_support import (add_ballots, answers, committee, create_survey, household,
                                   member, submit, survey_body)

# q1 (S4): 3 x 非常满意, 4 x 满意, 2 x 基本满意, 1 x 不满意, 1 x 非常不满意, 1 x 不了解.
Q1_LEVELS = [5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 1, 0]


@pytest.fixture
def survey(api, org, db):
    survey_id = create_survey(committee(api), [org.community.id])
    return db.session.get(Survey, survey_id)


def known_answers(survey, community):
    for level in Q1_LEVELS:
        add_ballots(survey, community, {"q1": level, "q2": 4}, choices={"q3": ["no"]})


def results(staff_api, survey_id):
    response = staff_api.get(f"/api/v1/surveys/{survey_id}/results")
    assert response.status_code == 200, response.json
    return response.json


def test_numbers_equal_the_hand_computation(api, org, survey):
    known_answers(survey, org.community)
    body = results(committee(api), survey.id)
    q1 = body["questions"][0]["stats"]
    # valid = 11 (不了解 excluded); satisfied = 3 + 4 + 2 = 9; 满意率 = 9 / 11.
    assert (q1["valid"], q1["unknown"], q1["satisfied"]) == (11, 1, 9)
    assert q1["rate"] == pytest.approx(0.818, abs=5e-4)
    # mean = (3*100 + 4*75 + 2*50 + 1*25 + 1*0) / 11 = 725 / 11
    assert q1["mean"] == pytest.approx(65.909, abs=5e-3)
    # Wilson, z = 1.96: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
    assert round(q1["ci_low"], 3) == 0.523 and round(q1["ci_high"], 3) == 0.949
    assert q1["shares"][0] == {"level": 5, "label": "非常满意", "count": 3, "share": 0.2727}
    areas = {a["code"]: a for a in body["areas"]}
    assert areas["S4"]["rate"] == q1["rate"] and areas["S5"]["valid"] == 12
    assert areas["S5"]["rate"] == 1.0 and areas["S5"]["mean"] == 75
    # overall: (9 + 12) / (11 + 12) answers, from 12 households
    assert body["overall"]["rate"] == pytest.approx(21 / 23, abs=1e-4)
    assert body["overall"]["mean"] == pytest.approx(1625 / 23, abs=5e-3)
    assert body["overall"]["respondents"] == 12 and body["overall"]["valid"] == 23
    assert body["questions"][2]["options"][1] == {"value": "no", "label": "没有", "count": 12,
                                                  "share": 1.0}
    assert body["definition"]["version"] == definitions.CURRENT_DEFINITION
    assert "基本满意" in body["definition"]["text"] and body["live"] is True


def test_four_households_show_no_figure_at_all(api, org, survey):
    add_ballots(survey, org.community, {"q1": 5, "q2": 4}, count=3)
    add_ballots(survey, org.community, {"q1": 0, "q2": 4}, straight_line=True)
    body = results(committee(api), survey.id)
    q1 = body["questions"][0]
    # Not even how many answered 不了解: with one household that is its answer.
    assert q1["stats"]["suppressed"] and q1["respondents"] is None
    assert all(q1["stats"][k] is None for k in ("answers", "valid", "unknown", "rate",
                                                "shares"))
    assert body["overall"]["suppressed"] and body["overall"]["valid"] is None
    assert all(a["suppressed"] and a["valid"] is None for a in body["areas"])
    assert body["ballots"]["counted"] == 0 and body["ballots"]["flagged"]["straight_line"] == 0
    # Nothing has been released: fewer than 5 ballots arrived.
    assert body["disclosure"] == {"min_households": 5, "communities": 1,
                                  "withheld_communities": 0, "released_at": None}
    assert body["communities"][0]["suppressed"] and body["communities"][0]["respondents"] is None


def test_a_few_straight_liners_are_not_counted_out_loud(api, org, db, survey):
    known_answers(survey, org.community)
    add_ballots(survey, org.community, {"q1": 5, "q2": 5}, count=2, straight_line=True)
    staff = committee(api)
    ballots = results(staff, survey.id)["ballots"]
    # Counted by default; how many were flagged (2) is a figure about two households.
    assert ballots == {"counted": 14, "total": 14, "flagged": {
        "straight_line": None, "suppressed": True, "counted": True}}
    apart = db.session.get(Survey, create_survey(staff, [org.community.id],
                                                 count_flagged=False))
    known_answers(apart, org.community)
    add_ballots(apart, org.community, {"q1": 5, "q2": 5}, count=2, straight_line=True)
    body = results(staff, apart.id)
    # Counted apart, the total would give the two away: only the counted ballots show.
    assert body["ballots"]["counted"] == 12 and body["ballots"]["total"] is None
    assert body["questions"][0]["stats"]["valid"] == 11
    add_ballots(apart, org.community, {"q1": 5, "q2": 5}, count=5, straight_line=True)
    ballots = results(staff, apart.id)["ballots"]
    assert ballots["flagged"]["straight_line"] == 7 and ballots["total"] == 19


def test_response_rate_is_households_that_answered_over_the_register(api, org, db, survey):
    rooms = [f"{n}01" for n in range(1, 8)]
    for room in rooms[1:]:
        household(org.community, "1", "1", room)
    staff = committee(api)
    for i, room in enumerate(rooms[:4]):
        submit(member(api, org.community, f"m{i}", room=room), survey.id)
    rate = results(staff, survey.id)["response_rate"]
    assert rate == {"registered_households": 7, "responding_households": None, "rate": None,
                    "withheld_communities": 0}
    submit(member(api, org.community, "m4", room=rooms[4]), survey.id)
    rate = results(staff, survey.id)["response_rate"]
    assert rate == {"registered_households": 7, "responding_households": 5,
                    "rate": round(5 / 7, 4), "withheld_communities": 0}


def test_a_small_community_is_left_out_of_every_total(api, org, db):
    third = db.session.execute(db.select(Community).filter_by(code="XH-TP-003")).scalar_one()
    street = api.as_staff(make_staff("street", "XH-TP"))
    survey_id = create_survey(street, [org.community.id, org.sibling.id, third.id])
    survey = db.session.get(Survey, survey_id)
    add_ballots(survey, org.community, {"q1": 4, "q2": 3}, count=12)
    add_ballots(survey, org.sibling, {"q1": 1, "q2": 1}, count=2)
    add_ballots(survey, third, {"q1": 5, "q2": 5}, count=7)
    body = results(street, survey_id)
    assert body["ballots"]["counted"] == 19 and body["overall"]["respondents"] == 19
    q1 = body["questions"][0]["stats"]
    assert q1["valid"] == 19 and {s["level"]: s["count"] for s in q1["shares"]}[1] == 0
    rows = {c["community_id"]: c for c in body["communities"]}
    assert rows[org.sibling.id] == {"community_id": org.sibling.id, "community": rows[
        org.sibling.id]["community"], "suppressed": True, "respondents": None, "rate": None}
    assert rows[org.community.id]["respondents"] == 12 and rows[third.id]["rate"] == 1.0
    # Total minus the communities shown is nothing: no difference isolates the small one.
    assert body["ballots"]["counted"] - sum(r["respondents"] or 0 for r in rows.values()) == 0
    assert body["disclosure"]["withheld_communities"] == 0  # never released: not even that


def test_a_choice_only_survey_and_an_all_unknown_survey_answer_200(api, org, db):
    staff = committee(api)
    choices = [{"key": "c1", "kind": "single", "text": "是否参加过活动",
                "options": [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}]}]
    survey = db.session.get(Survey, create_survey(staff, [org.community.id],
                                                  questions=choices))
    add_ballots(survey, org.community, {}, count=5, choices={"c1": ["yes"]})
    body = results(staff, survey.id)
    assert body["overall"]["suppressed"] and body["areas"] == []
    assert body["questions"][0]["options"][0]["count"] == 5
    unknown = db.session.get(Survey, create_survey(staff, [org.community.id]))
    add_ballots(unknown, org.community, {"q1": 0, "q2": 0}, count=5, choices={"q3": ["no"]})
    body = results(staff, unknown.id)
    q1 = body["questions"][0]["stats"]
    assert q1["suppressed"] and q1["rate"] is None and (q1["answers"], q1["unknown"]) == (5, 5)
    assert body["overall"]["suppressed"] and body["communities"][0]["rate"] is None


def add_comments(db, survey, community, n, text="加强绿化养护"):
    question = next(q for q in survey.questions if q.key == "q6")
    db.session.add_all(SurveyComment(id=uuid.uuid4(), survey_id=survey.id,
                                     question_id=question.id, community_id=community.id,
                                     text=f"{text}{i}", status="shown") for i in range(n))
    db.session.commit()


def test_comments_are_shown_in_batches_of_eight_without_identity(api, org, db, survey):
    staff = committee(api)
    add_ballots(survey, org.community, {"q1": 4, "q2": 4}, count=8)
    add_comments(db, survey, org.community, 7)
    q6 = results(staff, survey.id)["questions"][5]["comments"]
    assert q6 == {"count": 0, "shown": False, "items": []}
    add_comments(db, survey, org.community, 1, text="楼道灯")
    q6 = results(staff, survey.id)["questions"][5]["comments"]
    assert q6["shown"] and q6["count"] == 8 and "楼道灯0" in q6["items"]


def test_comments_held_by_the_content_check_are_not_shown(api, org, db, survey):
    resident = member(api, org.community, "m1")
    submit(resident, survey.id, answers(q6="未检测的留言"))  # its check is still pending
    add_ballots(survey, org.community, {"q1": 4, "q2": 4}, count=7)
    add_comments(db, survey, org.community, 7)
    q6 = results(committee(api), survey.id)["questions"][5]["comments"]
    assert q6["count"] == 0 and not q6["shown"]


def from_template(staff, db, community_ids, opens_hours_ago, status="published"):
    body = survey_body(community_ids, template_code=definitions.DEFAULT_TEMPLATE_CODE)
    del body["questions"]
    body["opens_at"] = (utcnow() - timedelta(hours=opens_hours_ago)).isoformat()
    survey_id = staff.post("/api/v1/surveys", json=body).json["id"]
    if status != "draft":
        staff.post(f"/api/v1/surveys/{survey_id}/publish")
    return db.session.get(Survey, survey_id)


def test_trend_compares_with_the_previous_survey_of_the_same_template(api, org, db):
    staff = committee(api)
    before = from_template(staff, db, [org.community.id], 48)
    add_ballots(before, org.community, {"q8": 5, "q10": 4}, count=5)
    staff.post(f"/api/v1/surveys/{before.id}/close")
    now = from_template(staff, db, [org.community.id], 1)
    add_ballots(now, org.community, {"q8": 2, "q10": 4}, count=5)
    trend = results(staff, now.id)["trend"]
    assert trend["survey_id"] == before.id and trend["comparable"] is True
    rows = {r["code"]: r for r in trend["areas"]}
    assert rows["S4"] == {"code": "S4", "name": definitions.AREAS["S4"], "rate": 0.0,
                          "previous_rate": 1.0, "change": -1.0}
    assert rows["S5"]["change"] == 0.0
    assert results(staff, before.id)["trend"] is None


def test_trend_is_no_filter_for_figures_that_were_never_published(api, org, db):
    street = api.as_staff(make_staff("street", "XH-TP"))
    before = from_template(street, db, [org.community.id, org.sibling.id], 48)
    add_ballots(before, org.community, {"q8": 5}, count=9)
    add_ballots(before, org.sibling, {"q8": 1}, count=3)
    street.post(f"/api/v1/surveys/{before.id}/close")
    draft = from_template(street, db, [org.sibling.id], 1, status="draft")
    assert results(street, draft.id)["trend"] is None
    now = from_template(street, db, [org.sibling.id], 1)
    add_ballots(now, org.sibling, {"q8": 4}, count=6)
    rows = {r["code"]: r for r in results(street, now.id)["trend"]["areas"]}
    # The sibling's three ballots were never published: they are no previous rate now.
    assert rows["S4"]["previous_rate"] is None and rows["S4"]["rate"] == 1.0


def test_residents_see_results_only_after_the_survey_ends(api, org, db, survey, record):
    known_answers(survey, org.community)
    resident = member(api, org.community, "m1")
    early = resident.get(f"/api/v1/surveys/{survey.id}/results")
    assert early.status_code == 404 and early.json["error"] == "results_not_available"
    committee(api).post(f"/api/v1/surveys/{survey.id}/close")
    body = record("survey_results", resident.get(f"/api/v1/surveys/{survey.id}/results")).json
    assert body["status"] == "closed" and body["live"] is False
    assert body["communities"] is None and body["areas"][0]["code"] == "S1"


def test_a_resident_who_answered_sees_figures_only_on_five_others(api, org, db, survey):
    resident = member(api, org.community, "m1")
    submit(resident, survey.id, answers(q1=1, q2=1))
    add_ballots(survey, org.community, {"q1": 5, "q2": 5}, count=4, choices={"q3": ["no"]})
    staff = committee(api)
    staff.post(f"/api/v1/surveys/{survey.id}/close")
    mine = resident.get(f"/api/v1/surveys/{survey.id}/results").json
    # Five ballots: enough for staff, but only four besides this resident's own.
    assert results(staff, survey.id)["questions"][0]["stats"]["valid"] == 5
    assert mine["questions"][0]["stats"]["suppressed"] and mine["overall"]["valid"] is None
    assert mine["disclosure"]["min_households"] == 6
    outsider = member(api, org.community, "m2", room="102")  # did not answer
    assert outsider.get(f"/api/v1/surveys/{survey.id}/results").json[
        "questions"][0]["stats"]["valid"] == 5


def test_results_are_404_outside_the_scope_or_audience(api, org, survey):
    far = api.as_staff(make_staff("district", "JA"))
    assert far.get(f"/api/v1/surveys/{survey.id}/results").status_code == 404
    outsider = member(api, org.sibling, "m9")
    assert outsider.get(f"/api/v1/surveys/{survey.id}/results").status_code == 404
    assert committee(api).get("/api/v1/surveys/2147483648/results").status_code == 404
    assert api.get(f"/api/v1/surveys/{survey.id}/results").status_code == 401


@pytest.mark.parametrize("respondents", [0, 1, 4, 5, 6])
def test_results_of_0_1_4_5_6_households(api, org, db, survey, respondents):
    add_ballots(survey, org.community, {"q1": 5, "q2": 2}, count=respondents,
                choices={"q3": ["no"]})
    db.session.add_all(Household(community_id=org.community.id, building="9", unit="1",
                                 room=str(n)) for n in range(10))
    db.session.commit()
    body = results(committee(api), survey.id)
    published = respondents >= 5
    assert body["overall"]["suppressed"] is not published
    assert body["overall"]["respondents"] == (respondents if published else None)
    assert body["ballots"]["counted"] == (respondents if published else 0)
    assert (body["questions"][2]["options"] is not None) is published
    assert all(a["suppressed"] is not published for a in body["areas"] if a["code"] != "S1")
