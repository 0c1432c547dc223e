"""Who answered, as a resident sees it: they did (self), another member of their household did
(household), or the committee entered the household's paper answers (paper, 代填). Read from
the participation alone: never anything of the answers."""
import json

import pytest

from tests.builders import make_staff
from tests.surveys_support import answers, committee, create_survey, household, member, submit

PAPER_TEXT = "纸质问卷上写的意见"


@pytest.fixture
def survey_id(api, org):
    return create_survey(committee(api), [org.community.id])


def seen(resident, survey_id):
    """(answered, answered_by) on the survey's page and in the open list."""
    detail = resident.get(f"/api/v1/surveys/{survey_id}").json
    listed = {s["id"]: s for s in resident.get("/api/v1/surveys?status=open").json["items"]}
    assert (listed[survey_id]["answered"], listed[survey_id]["answered_by"]) == (
        detail["answered"], detail["answered_by"])
    return detail["answered"], detail["answered_by"]


def test_nobody_answered_yet(api, org, survey_id):
    assert seen(member(api, org.community, "m1"), survey_id) == (False, None)


def test_the_resident_who_answered_sees_self(api, org, survey_id):
    resident = member(api, org.community, "m1")
    assert submit(resident, survey_id).status_code == 201
    assert seen(resident, survey_id) == (True, "self")


def test_another_member_of_the_household_sees_household(api, org, survey_id, record):
    answering = member(api, org.community, "m1")
    same_home = member(api, org.community, "m2")
    assert submit(answering, survey_id).status_code == 201
    detail = record("survey_detail_household", same_home.get(f"/api/v1/surveys/{survey_id}"))
    assert (detail.json["answered"], detail.json["answered_by"]) == (True, "household")
    assert detail.json["answer_token"] is None  # nothing left to answer
    assert seen(answering, survey_id) == (True, "self")


def test_a_household_answered_on_paper_is_shown_as_such_to_each_member(api, org, db,
                                                                        survey_id, record):
    home = household(org.community, "2", "1", "301")
    paper = submit(committee(api), survey_id, answers(q1=2, q6=PAPER_TEXT), household_id=home.id)
    assert paper.status_code == 201
    first = member(api, org.community, "m1", building="2", room="301")
    second = member(api, org.community, "m2", building="2", room="301")
    listed = record("surveys_list_paper",
                    first.get("/api/v1/surveys?status=open&page=1&per_page=20"))
    detail = record("survey_detail_paper", first.get(f"/api/v1/surveys/{survey_id}"))
    assert (listed.json["items"][0]["answered"], listed.json["items"][0]["answered_by"]) == (
        True, "paper")
    assert (detail.json["answered"], detail.json["answered_by"]) == (True, "paper")
    assert seen(second, survey_id) == (True, "paper")
    # That paper answers exist, never what they said.
    for body in (listed.json, detail.json):
        assert PAPER_TEXT not in json.dumps(body, ensure_ascii=False)
        assert "answers" not in json.dumps(body)


def test_a_neighbour_and_staff_see_nothing_of_a_paper_household(api, org, survey_id):
    home = household(org.community, "2", "1", "301")
    assert submit(committee(api), survey_id, household_id=home.id).status_code == 201
    assert seen(member(api, org.community, "m3", room="102"), survey_id) == (False, None)
    street = api.as_staff(make_staff("street", "XH-TP"))
    detail = street.get(f"/api/v1/surveys/{survey_id}").json
    assert (detail["answered"], detail["answered_by"]) == (None, None)


def test_per_resident_another_members_answer_is_not_mine(api, org):
    survey_id = create_survey(committee(api), [org.community.id], response_unit="resident")
    assert submit(member(api, org.community, "m1"), survey_id).status_code == 201
    same_home = member(api, org.community, "m2")
    assert seen(same_home, survey_id) == (False, None)
    assert submit(same_home, survey_id).status_code == 201
    assert seen(same_home, survey_id) == (True, "self")
