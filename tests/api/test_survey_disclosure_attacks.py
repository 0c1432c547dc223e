"""Issue 18's attacks, played through the API by a careful committee, street or resident: each
one recovered a household's answers before; each must now learn nothing about fewer than 5
households. (The dump attacks are in tests/services/test_survey_dump_attack.py.) Also: results,
exports and the community status of surveys with 0, 1, 4, 5 and 6 respondents answer 200."""
import csv
import io
import uuid

import pytest

from server.models import Household, Survey, SurveyComment, SurveyParticipation
from tests.builders import make_member, make_staff
from tests.jobs.worker import work
from tests.surveys_support import add_ballots, committee, create_survey

LEVEL_KEYS = ("answers", "valid", "unknown", "respondents", "satisfied", "rate", "mean",
              "ci_low", "ci_high", "shares")


def results(client, survey_id):
    response = client.get(f"/api/v1/surveys/{survey_id}/results")
    assert response.status_code == 200, response.json
    return response.json


def figures(body):
    """Everything numeric a reader gets, to compare two readings."""
    return {k: body[k] for k in ("ballots", "response_rate", "overall", "areas", "questions",
                                 "communities")}


@pytest.fixture
def survey(api, org, db):
    return db.session.get(Survey, create_survey(committee(api), [org.community.id]))


@pytest.mark.parametrize("n", [1, 2, 3])
def test_1_one_to_three_households_give_away_no_level_and_no_unknown(api, org, survey, n):
    add_ballots(survey, org.community, {"q1": 0, "q2": 3}, count=n, choices={"q3": ["yes"]})
    body = results(committee(api), survey.id)
    for stats in [body["overall"], *body["areas"],
                  *(q["stats"] for q in body["questions"] if q["stats"])]:
        assert stats["suppressed"] and all(stats[k] is None for k in LEVEL_KEYS)
    assert body["questions"][2]["options"] is None and body["ballots"]["counted"] == 0


def test_2_a_resident_cannot_subtract_their_own_ballot(api, org, db, survey):
    from tests.surveys_support import answers, member, submit
    resident = member(api, org.community, "me")
    assert submit(resident, survey.id, answers(q1=1, q2=1)).status_code == 201
    add_ballots(survey, org.community, {"q1": 5, "q2": 5}, count=4)
    committee(api).post(f"/api/v1/surveys/{survey.id}/close")
    body = results(resident, survey.id)
    assert body["disclosure"]["min_households"] == 6
    assert body["overall"]["suppressed"] and body["overall"]["valid"] is None


def test_3_area_minus_questions_and_area_minus_online_isolate_nothing(api, org, db):
    questions = [
        {"key": "q1", "kind": "satisfaction", "text": "环境", "area_code": "S4"},
        {"key": "q2", "kind": "satisfaction", "text": "绿化", "area_code": "S4",
         "required": False}]
    survey = db.session.get(Survey, create_survey(committee(api), [org.community.id],
                                                  questions=questions))
    add_ballots(survey, org.community, {"q1": 4}, count=9)
    add_ballots(survey, org.community, {"q1": 4, "q2": 1}, count=3)
    body = results(committee(api), survey.id)
    area, (q1, q2) = body["areas"][0], [q["stats"] for q in body["questions"]]
    assert q2["suppressed"] and q2["answers"] is None
    assert (area["valid"], area["satisfied"], area["respondents"]) == (12, 12, 12)
    assert area["valid"] - q1["valid"] == 0 and body["overall"]["valid"] == 12
    assert {s["level"]: s["count"] for s in area["shares"]}[1] == 0
    assert "online" not in area and "assisted" not in area  # no 代填 figure to subtract


def test_4_polling_before_and_after_one_ballot_shows_no_difference(api, org, db, survey):
    staff = committee(api)
    add_ballots(survey, org.community, {"q1": 5, "q2": 4}, count=8, choices={"q3": ["no"]})
    question = next(q for q in survey.questions if q.key == "q6")
    db.session.add_all(SurveyComment(id=uuid.uuid4(), survey_id=survey.id,
                                     question_id=question.id, community_id=org.community.id,
                                     text=f"意见{i}", status="shown") for i in range(8))
    db.session.commit()
    before = results(staff, survey.id)
    add_ballots(survey, org.community, {"q1": 1, "q2": 1}, choices={"q3": ["yes"]})
    db.session.add(SurveyComment(id=uuid.uuid4(), survey_id=survey.id,
                                 question_id=question.id, community_id=org.community.id,
                                 text="第九条意见", status="shown"))
    db.session.commit()
    after = results(staff, survey.id)
    assert figures(after) == figures(before)  # the 9th ballot and comment are not there
    assert "第九条意见" not in str(after)
    add_ballots(survey, org.community, {"q1": 1, "q2": 1}, count=4, choices={"q3": ["yes"]})
    moved = results(staff, survey.id)
    assert moved["ballots"]["counted"] - before["ballots"]["counted"] == 5


def test_5_no_record_level_export_for_a_committee(api, org, survey):
    add_ballots(survey, org.community, {"q1": 5}, count=2)
    refused = committee(api).post(f"/api/v1/surveys/{survey.id}/exports",
                                  json={"format": "csv", "content": "ballots"})
    assert refused.status_code == 403


def test_6_a_draft_for_one_small_community_is_no_trend_filter(api, org, db):
    from tests.api.test_surveys_results import from_template
    street = api.as_staff(make_staff("street", "XH-TP"))
    before = from_template(street, db, [org.community.id, org.sibling.id], 48)
    add_ballots(before, org.community, {"q8": 5}, count=9)
    add_ballots(before, org.sibling, {"q8": 1}, count=3)
    street.post(f"/api/v1/surveys/{before.id}/close")
    draft = from_template(street, db, [org.sibling.id], 1, status="draft")
    assert results(street, draft.id)["trend"] is None


@pytest.mark.parametrize("n", [0, 1, 4, 5, 6])
def test_results_exports_and_status_of_0_1_4_5_6_households(api, org, db, survey, n):
    staff = committee(api)
    add_ballots(survey, org.community, {"q1": 5, "q2": 2}, count=n, choices={"q3": ["no"]})
    homes = [Household(community_id=org.community.id, building="8", unit="1", room=str(r))
             for r in range(10)]
    db.session.add_all(homes)
    db.session.flush()
    db.session.add_all(SurveyParticipation(survey_id=survey.id, respondent_key=f"h{h.id}",
                                           household_id=h.id, community_id=org.community.id)
                       for h in homes[:n])
    db.session.commit()
    staff.post(f"/api/v1/surveys/{survey.id}/close")
    body = results(staff, survey.id)
    assert body["overall"]["suppressed"] is (n < 5)
    started = staff.post(f"/api/v1/surveys/{survey.id}/exports",
                         json={"format": "csv", "content": "results"})
    assert started.status_code == 202
    work()
    file = staff.get(f"/api/v1/surveys/{survey.id}/exports/{started.json['id']}/file")
    assert file.status_code == 200
    text = file.data.decode("utf-8-sig")
    file.close()
    rows = list(csv.reader(io.StringIO(text)))
    counted = next(r for r in rows if r and r[0] == "计入统计的答卷")
    assert counted[1] == str(n if n >= 5 else 0)
    make_member(org.community, openid="status-reader")
    status = api.as_resident("status-reader").get(
        f"/api/v1/communities/{org.community.id}/status")
    assert status.status_code == 200, status.json
    latest = status.json["latest_survey"]
    assert latest["households"] == db.session.execute(db.select(db.func.count(
        Household.id)).filter_by(community_id=org.community.id)).scalar_one()
    assert latest["responses"] == (n if n >= 5 else None)
    assert latest["response_rate"] == (round(n * 100 / latest["households"], 1) if n >= 5
                                       else None)
