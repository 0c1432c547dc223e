"""Answering: once per resident or household, validated whole, 代填 by the committee."""
from datetime import timedelta

import pytest
import responses
import time_machine

from server.models import (AuditLog, ContentCheck, Survey, SurveyAnswer, SurveyBallot,
                           SurveyComment, SurveyParticipation)
from server.models.base import utcnow
from tests import wechat_http
from tests.builders import ApiClient, make_staff
from tests.conftest import TEST_DATABASE_URL
from tests.jobs.worker import work
from tests.surveys_support import (answer_token, answers, committee, create_survey, household,
                                   member, submit)


def count(db, model, **filters):
    return db.session.execute(db.select(db.func.count()).select_from(model)
                              .filter_by(**filters)).scalar_one()


def written(db):
    return (count(db, SurveyParticipation), count(db, SurveyBallot), count(db, SurveyAnswer),
            count(db, SurveyComment))


@pytest.fixture
def survey_id(api, org):
    return create_survey(committee(api), [org.community.id])


def test_a_resident_answers_and_is_marked_answered(api, org, db, survey_id, record):
    resident = member(api, org.community, "m1")
    response = record("survey_submit", submit(resident, survey_id, answers(
        q1=5, q2=3, q3="yes", q4=4, q5=["clean", "parking"], q6="楼道灯坏了很久")))
    assert response.status_code == 201
    assert response.json == {"survey_id": survey_id, "status": "submitted", "assisted": False,
                             "message": "提交成功，感谢您的参与！"}
    assert written(db) == (1, 1, 6, 1)  # q5 has two choices
    ballot = db.session.execute(db.select(SurveyBallot)).scalar_one()
    assert not ballot.straight_line
    assert resident.get(f"/api/v1/surveys/{survey_id}").json["answered"] is True


def test_a_second_answer_is_409_and_writes_nothing(api, org, db, survey_id):
    resident = member(api, org.community, "m1")
    submit(resident, survey_id)
    response = submit(resident, survey_id, answers(q1=1))
    assert response.status_code == 409 and response.json["error"] == "already_answered"
    assert written(db)[:2] == (1, 1)


def test_a_retry_with_the_same_idempotency_key_returns_the_first_result(api, org, db,
                                                                         survey_id):
    resident = member(api, org.community, "m1")
    first = submit(resident, survey_id, key="tap-1")
    again = submit(resident, survey_id, key="tap-1")
    assert again.status_code == 201 and again.json == first.json
    assert submit(resident, survey_id, key="tap-2").status_code == 409
    assert written(db)[:2] == (1, 1)
    stored = db.session.execute(db.select(SurveyParticipation)).scalar_one()
    assert stored.idempotency_hash and "tap-1" not in stored.idempotency_hash


def test_per_household_one_voice_per_dwelling(api, org, db, survey_id):
    first = member(api, org.community, "m1")
    same_home = member(api, org.community, "m2")
    assert submit(first, survey_id).status_code == 201
    response = submit(same_home, survey_id)
    assert response.status_code == 409 and response.json["message"] == "该户已经填写过这份问卷"
    assert same_home.get(f"/api/v1/surveys/{survey_id}").json["answered"] is True


def test_per_resident_each_resident_answers(api, org, db):
    survey_id = create_survey(committee(api), [org.community.id], response_unit="resident")
    assert submit(member(api, org.community, "m1"), survey_id).status_code == 201
    assert submit(member(api, org.community, "m2"), survey_id).status_code == 201
    assert written(db)[:2] == (2, 2)


def test_an_address_not_in_the_register_cannot_answer_per_household(api, org, db, survey_id):
    resident = member(api, org.community, "m1", building="99", registered=False)
    response = submit(resident, survey_id)
    assert response.status_code == 403 and response.json["error"] == "household_not_registered"
    assert written(db) == (0, 0, 0, 0)


@pytest.mark.parametrize("bad, field", [
    (answers(q9=5), "q9"),                                  # not in the survey
    (answers(q1=6), "q1"),                                  # no such level
    (answers(q1=True), "q1"),                               # a boolean is not a level
    (answers(q3="maybe"), "q3"),                            # no such option
    ({"q2": 4, "q3": "no"}, "q1"),                          # a required answer missing
    (answers(q3="no", q4=5), "q4"),                         # hidden by its condition
    (answers(q3="yes"), "q4"),                              # shown, required, missing
    (answers(q5=["clean", "clean"]), "q5"),                 # an option twice
    (answers(q5="clean"), "q5"),                            # multiple choice needs a list
    (answers(q6="字" * 1001), "q6"),                         # too long
])
def test_bad_answers_reject_the_whole_response(api, org, db, survey_id, bad, field):
    response = submit(member(api, org.community, "m1"), survey_id, bad)
    assert response.status_code == 422, response.json
    assert field in response.json["details"]["fields"]["answers"]
    assert written(db) == (0, 0, 0, 0)


def test_missing_or_foreign_answer_tokens_and_malformed_bodies_are_rejected(api, org, db,
                                                                           survey_id):
    resident = member(api, org.community, "m1")
    other = create_survey(committee(api), [org.community.id])
    url = f"/api/v1/surveys/{survey_id}/responses"
    missing = resident.post(url, json={"answers": answers()})
    assert missing.status_code == 422 and "answer_token" in missing.json["details"]["fields"]
    for token in ("forged", answer_token(resident, other),
                  answer_token(member(api, org.community, "m2", room="102"), survey_id)):
        refused = resident.post(url, json={"answers": answers(), "answer_token": token})
        assert refused.status_code == 422, token
        assert "answer_token" in refused.json["details"]["fields"]
    assert resident.post(url, json={"answers": "all good"}).status_code == 422
    assert resident.post(url, json={"answers": answers(), "duration_seconds": 600,
                                    "answer_token": answer_token(resident, survey_id)}
                         ).status_code == 422  # the client's own timing is not taken
    assert resident.post(f"/api/v1/surveys/{survey_id}/responses", data="{",
                         content_type="application/json").status_code == 400
    assert written(db) == (0, 0, 0, 0)


def test_closed_draft_and_foreign_surveys_refuse_answers(api, org, db):
    staff = committee(api)
    closed = create_survey(staff, [org.community.id])
    staff.post(f"/api/v1/surveys/{closed}/close")
    draft = create_survey(staff, [org.community.id], publish=False)
    foreign = create_survey(staff, [org.sibling.id])
    resident = member(api, org.community, "m1")
    response = submit(resident, closed)
    assert response.status_code == 409 and response.json["error"] == "survey_not_open"
    assert submit(resident, draft).status_code == 404
    assert submit(resident, foreign).status_code == 404
    assert api.post(f"/api/v1/surveys/{closed}/responses", json={"answers": {}}).status_code \
        == 401
    assert written(db) == (0, 0, 0, 0)


def test_straight_lined_ballots_are_flagged_and_kept(api, org, db, survey_id):
    submit(member(api, org.community, "m1"), survey_id, answers(q1=5, q2=5, q3="yes", q4=5))
    ballot = db.session.execute(db.select(SurveyBallot)).scalar_one()
    assert ballot.straight_line


def test_a_too_fast_answer_is_refused_kindly_and_can_be_sent_again(api, org, db, survey_id):
    resident = member(api, org.community, "m1")
    # Whole seconds: the token keeps its time to the second.
    with time_machine.travel(utcnow().replace(microsecond=0), tick=False) as clock:
        token = answer_token(resident, survey_id)  # the survey is served to the phone
        clock.shift(10)
        hurried = submit(resident, survey_id, token=token)
        assert hurried.status_code == 422 and hurried.json["error"] == "answered_too_fast"
        assert "重新提交" in hurried.json["message"]
        assert hurried.json["details"] == {"min_duration_seconds": 30,
                                           "retry_after_seconds": 20}
        assert written(db) == (0, 0, 0, 0)
        # Reading the survey again does not restart the clock the phone keeps.
        clock.shift(25)
        assert submit(resident, survey_id, token=token).status_code == 201
    assert written(db)[:2] == (1, 1)


def test_committee_enters_paper_answers_marked_and_audited(api, org, db, survey_id):
    home = household(org.community, "2", "1", "301")
    staff = committee(api)
    response = submit(staff, survey_id, answers(q6="纸质问卷留言"), household_id=home.id)
    assert response.status_code == 201 and response.json["assisted"] is True
    ballot = db.session.execute(db.select(SurveyBallot)).scalar_one()
    assert {c.name for c in SurveyBallot.__table__.columns} == {
        "id", "survey_id", "community_id", "straight_line"}  # no 代填 mark on the ballot
    entry = db.session.execute(db.select(AuditLog).filter_by(
        action="survey.assisted_response")).scalar_one()
    assert entry.after == {"survey_id": survey_id, "household_id": home.id}
    # The household has its voice now: nobody living there answers again.
    resident = member(api, org.community, "m1", building="2", room="301")
    assert submit(resident, survey_id).status_code == 409


def test_only_the_committee_enters_paper_answers_for_its_households(api, org, db, survey_id):
    home = household(org.community)
    far_home = household(org.far_community)
    street = api.as_staff(make_staff("street", "XH-TP"))
    assert submit(street, survey_id, household_id=home.id).status_code == 403
    staff = committee(api)
    assert submit(staff, survey_id, household_id=far_home.id).status_code == 404
    assert submit(staff, survey_id).status_code == 422  # which household?
    resident = member(api, org.community, "m1")
    assert submit(resident, survey_id, household_id=home.id).status_code == 422
    assert written(db) == (0, 0, 0, 0)


def test_free_text_is_content_checked_and_kept_apart_from_the_ballot(api, org, db, survey_id):
    submit(member(api, org.community, "m1"), survey_id, answers(q6="希望增加停车位"))
    comment = db.session.execute(db.select(SurveyComment)).scalar_one()
    check = db.session.get(ContentCheck, comment.content_check_id)
    assert check.subject_type == "survey_comment" and check.subject_id == str(comment.id)
    assert comment.status == "pending" and check.author_id is not None  # WeChat needs it
    assert {c.name for c in SurveyComment.__table__.columns}.isdisjoint(
        {"ballot_id", "building", "answered_on", "resident_id", "household_id"})


def _checked(suggest):
    # `submit` sends the answer five minutes ahead (the minimum answer time), so the outbox
    # row of its content check is due then: the worker runs at that time too.
    with responses.RequestsMock() as rsps, \
            time_machine.travel(utcnow() + timedelta(minutes=10), tick=False):
        wechat_http.add_token(rsps)
        wechat_http.add_msg_sec_check(rsps, suggest=suggest, label=20006)
        work()


def test_a_passed_comment_forgets_its_check_and_so_its_author(api, org, db, survey_id):
    submit(member(api, org.community, "m1"), survey_id, answers(q6="希望增加停车位"))
    _checked("pass")
    db.session.expire_all()
    comment = db.session.execute(db.select(SurveyComment)).scalar_one()
    assert comment.status == "shown" and comment.content_check_id is None
    assert db.session.execute(db.select(ContentCheck)).scalars().all() == []


def test_a_held_comment_keeps_its_text_for_review_but_no_author_or_time(api, org, db,
                                                                      survey_id):
    submit(member(api, org.community, "m1"), survey_id, answers(q6="可疑的留言"))
    _checked("review")
    db.session.expire_all()
    comment = db.session.execute(db.select(SurveyComment)).scalar_one()
    check = db.session.get(ContentCheck, comment.content_check_id)
    survey = db.session.get(Survey, survey_id)
    assert comment.status == "held" and check.status == "risky"
    assert check.author_id is None and check.trace_id is None and check.content == "可疑的留言"
    assert check.created_at == check.submitted_at == check.checked_at == survey.opens_at
    staff = committee(api)
    released = staff.post(f"/api/v1/content-checks/{check.id}/release", json={})
    assert released.status_code == 200 and released.json["author_id"] is None
    db.session.expire_all()
    assert db.session.get(SurveyComment, comment.id).status == "shown"


def test_with_checks_off_a_comment_has_no_check_row_at_all(make_app, db, org):
    api = ApiClient(make_app(WECHAT_TEXT_CHECK=False).test_client())
    survey_id = create_survey(committee(api), [org.community.id])
    submit(member(api, org.community, "m1"), survey_id, answers(q6="留言"))
    comment = db.session.execute(db.select(SurveyComment)).scalar_one()
    assert comment.status == "shown" and comment.content_check_id is None
    assert db.session.execute(db.select(ContentCheck)).scalars().all() == []


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="concurrency needs PostgreSQL")
def test_fifty_simultaneous_submissions_store_one_ballot(app, api, org, db, survey_id):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    resident = member(api, org.community, "m1")
    token, answer_token = resident.token, resident.get(
        f"/api/v1/surveys/{survey_id}").json["answer_token"]
    survey = db.session.get(Survey, survey_id)
    survey.min_duration_seconds = 0
    db.session.commit()
    barrier = Barrier(50)

    def one(i):
        client = app.test_client()
        barrier.wait()
        return client.post(f"/api/v1/surveys/{survey_id}/responses",
                           headers={"Authorization": f"Bearer {token}"},
                           json={"answers": answers(), "answer_token": answer_token}
                           ).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(one, range(50)))
    assert statuses.count(201) == 1 and statuses.count(409) == 49
    assert written(db)[:2] == (1, 1)
