"""Results: numbers equal to a hand computation, flagged and assisted ballots shown apart,
the response rate, building suppression that cannot be undone, comments, the trend."""
import uuid

import pytest

from server.models import Community, Survey, SurveyComment
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


def known_answers(survey, community, building="1"):
    for level in Q1_LEVELS:
        add_ballots(survey, community, {"q1": level, "q2": 4}, building=building,
                    choices={"q3": ["no"]})


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
    # overall: (9 + 12) / (11 + 12); mean (725 + 12*75) / 23
    assert body["overall"]["rate"] == pytest.approx(21 / 23, abs=1e-4)
    assert body["overall"]["mean"] == pytest.approx(1625 / 23, abs=5e-3)
    assert body["questions"][2]["options"][1] == {"value": "no", "label": "没有", "count": 12,
                                                  "share": 1.0}
    assert body["definition"]["version"] == definitions.CURRENT_DEFINITION
    assert "基本满意" in body["definition"]["text"] and body["live"] is True


def test_fewer_than_five_valid_answers_show_no_rate(api, org, survey):
    add_ballots(survey, org.community, {"q1": 5, "q2": 4}, count=4)
    q1 = results(committee(api), survey.id)["questions"][0]["stats"]
    assert q1["valid"] == 4 and q1["suppressed"] and q1["rate"] is None and q1["shares"] is None


def test_flagged_ballots_are_counted_only_when_the_survey_says_so(api, org, db, survey):
    known_answers(survey, org.community)
    add_ballots(survey, org.community, {"q1": 1, "q2": 1}, count=4, too_fast=True)
    add_ballots(survey, org.community, {"q1": 5, "q2": 5}, count=2, straight_line=True)
    staff = committee(api)
    body = results(staff, survey.id)
    assert body["ballots"]["flagged"] == {"total": 6, "too_fast": 4, "straight_line": 2,
                                          "counted": False, "min_duration_seconds": 30}
    assert body["ballots"]["counted"] == 12 and body["questions"][0]["stats"]["valid"] == 11
    survey.count_flagged = True
    db.session.commit()
    body = results(staff, survey.id)
    assert body["ballots"]["counted"] == 18 and body["questions"][0]["stats"]["valid"] == 17


def test_assisted_ballots_are_counted_and_shown_apart(api, org, survey):
    known_answers(survey, org.community)
    add_ballots(survey, org.community, {"q1": 5, "q2": 5}, count=5, assisted=True)
    body = results(committee(api), survey.id)
    s4 = {a["code"]: a for a in body["areas"]}["S4"]
    assert (s4["valid"], s4["online"]["valid"], s4["assisted"]["valid"]) == (16, 11, 5)
    assert s4["assisted"]["rate"] == 1.0
    assert (body["ballots"]["online"], body["ballots"]["assisted"]) == (12, 5)


def test_response_rate_is_measured_against_the_register(api, org, db, survey):
    for room in ("201", "202"):
        household(org.community, "1", "1", room)
    submit(member(api, org.community, "m1"), survey.id)
    submit(member(api, org.community, "m2", room="102"), survey.id)
    rate = results(committee(api), survey.id)["response_rate"]
    assert rate == {"registered_households": 4, "responding_households": 2, "responses": 2,
                    "rate": 0.5}


def test_small_building_cells_are_hidden_and_cannot_be_recovered(api, org, db):
    third = db.session.execute(db.select(Community).filter_by(code="XH-TP-003")).scalar_one()
    street = api.as_staff(make_staff("street", "XH-TP"))
    survey_id = create_survey(street, [org.community.id, org.sibling.id, third.id])
    survey = db.session.get(Survey, survey_id)
    truth = {(org.community.id, "1"): 12, (org.community.id, "2"): 6,
             (org.community.id, "3"): 3, (org.community.id, "10"): 1,
             (org.sibling.id, "1"): 2, (third.id, "1"): 7}
    for (community_id, building), n in truth.items():
        add_ballots(survey, db.session.get(Community, community_id), {"q1": 4, "q2": 3},
                    building=building, count=n)
    body = results(street, survey_id)
    total = body["ballots"]["counted"]
    communities = {c["community_id"]: c for c in body["buildings"]}
    hidden_communities = [cid for cid, c in communities.items() if c["suppressed"]]
    assert sorted(hidden_communities) == sorted([org.sibling.id, third.id])
    shown_sum = sum(c["ballots"] for c in communities.values() if not c["suppressed"])
    assert total - shown_sum >= 5 and len(hidden_communities) >= 2
    for cid, community in communities.items():
        cells = {b["building"]: b for b in community["buildings"]}
        for label, cell in cells.items():
            real = truth[(cid, label.removesuffix("号楼"))]
            assert cell["suppressed"] or real >= 5
            if real < 5:
                assert cell["suppressed"] and cell["ballots"] is None and cell["rate"] is None
        if community["suppressed"]:
            assert all(c["suppressed"] for c in cells.values())
            continue
        hidden = [truth[(cid, label.removesuffix("号楼"))] for label, c in cells.items()
                  if c["suppressed"]]
        recovered = community["ballots"] - sum(c["ballots"] for c in cells.values()
                                               if not c["suppressed"])
        assert recovered == sum(hidden)
        assert not hidden or (len(hidden) >= 2 and sum(hidden) >= 5)
    a = {b["building"]: b for b in communities[org.community.id]["buildings"]}
    assert a["1号楼"]["ballots"] == 12 and a["2号楼"]["suppressed"]  # the complement


def add_comments(db, survey, community, n, text="加强绿化养护"):
    question = next(q for q in survey.questions if q.key == "q6")
    db.session.add_all(SurveyComment(id=uuid.uuid4(), survey_id=survey.id,
                                     question_id=question.id, community_id=community.id,
                                     text=f"{text}{i}") for i in range(n))
    db.session.commit()


def test_comments_are_shown_only_from_eight_without_identity(api, org, db, survey):
    staff = committee(api)
    add_comments(db, survey, org.community, 7)
    q6 = results(staff, survey.id)["questions"][5]["comments"]
    assert q6 == {"count": 7, "shown": False, "items": []}
    add_comments(db, survey, org.community, 1, text="楼道灯")
    q6 = results(staff, survey.id)["questions"][5]["comments"]
    assert q6["shown"] and len(q6["items"]) == 8 and "楼道灯0" in q6["items"]


def test_comments_held_by_the_content_check_are_not_shown(api, org, db, survey):
    resident = member(api, org.community, "m1")
    submit(resident, survey.id, answers(q6="未检测的留言"))  # its check is still pending
    add_comments(db, survey, org.community, 7)
    q6 = results(committee(api), survey.id)["questions"][5]["comments"]
    assert q6["count"] == 7 and not q6["shown"]


def test_trend_compares_with_the_previous_survey_of_the_same_template(api, org, db):
    staff = committee(api)

    def from_template(opens_hours_ago):
        body = survey_body([org.community.id], template_code=definitions.DEFAULT_TEMPLATE_CODE)
        del body["questions"]
        from datetime import timedelta

        from server.models.base import utcnow
        body["opens_at"] = (utcnow() - timedelta(hours=opens_hours_ago)).isoformat()
        survey_id = staff.post("/api/v1/surveys", json=body).json["id"]
        staff.post(f"/api/v1/surveys/{survey_id}/publish")
        return db.session.get(Survey, survey_id)

    before = from_template(48)
    add_ballots(before, org.community, {"q8": 5, "q10": 4}, count=5)
    staff.post(f"/api/v1/surveys/{before.id}/close")
    now = from_template(1)
    add_ballots(now, org.community, {"q8": 2, "q10": 4}, count=5)
    trend = results(staff, now.id)["trend"]
    assert trend["survey_id"] == before.id and trend["comparable"] is True
    rows = {r["code"]: r for r in trend["areas"]}
    assert rows["S4"] == {"code": "S4", "name": definitions.AREAS["S4"], "rate": 0.0,
                          "previous_rate": 1.0, "change": -1.0}
    assert rows["S5"]["change"] == 0.0
    assert results(staff, before.id)["trend"] is None


def test_residents_see_results_only_after_the_survey_ends(api, org, db, survey, record):
    known_answers(survey, org.community)
    resident = member(api, org.community, "m1")
    early = resident.get(f"/api/v1/surveys/{survey.id}/results")
    assert early.status_code == 404 and early.json["error"] == "results_not_available"
    committee(api).post(f"/api/v1/surveys/{survey.id}/close")
    body = record("survey_results", resident.get(f"/api/v1/surveys/{survey.id}/results")).json
    assert body["status"] == "closed" and body["live"] is False
    assert body["buildings"] is None and body["areas"][0]["code"] == "S1"


def test_results_are_404_outside_the_scope_or_audience(api, org, survey):
    far = api.as_staff(make_staff("district", "JA"))
    assert far.get(f"/api/v1/surveys/{survey.id}/results").status_code == 404
    outsider = member(api, org.sibling, "m9")
    assert outsider.get(f"/api/v1/surveys/{survey.id}/results").status_code == 404
    assert committee(api).get("/api/v1/surveys/2147483648/results").status_code == 404
    assert api.get(f"/api/v1/surveys/{survey.id}/results").status_code == 401
