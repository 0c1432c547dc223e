"""A resident's data (GET /me/data) and the deletion of their account (DELETE /me): what the
caller sees, who may call, and bad input. The whole-database proof is test_erasure_dump.py."""
import pytest

from server.extensions import db
from server.models import Membership, Report, Resident
from tests.builders import make_member, make_staff
from tests.reports_helpers import ReportWorld


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def test_my_data_lists_what_is_held_without_the_openid(world):
    report = world.file(photos=1)
    other = world.file(client=world.neighbour)
    assert world.reporter.post(f"/api/v1/reports/{other['id']}/support").status_code in (200, 201)
    response = world.reporter.get("/api/v1/me/data")
    assert response.status_code == 200, response.json
    data = response.json
    assert "reporter" not in response.get_data(as_text=True)  # the openid, even in part
    assert data["profile"]["openid"] == "****"
    assert [m["status"] for m in data["memberships"]] == ["approved"]
    assert [r["id"] for r in data["reports"]] == [report["id"]]
    assert len(data["reports"][0]["photos"]) == 1 and len(data["photos"]) == 1
    assert data["photos"][0]["url"].startswith(f"/api/v1/uploads/{data['photos'][0]['id']}/file")
    assert [s["report_id"] for s in data["supports"]] == [other["id"]]
    assert [s["current"] for s in data["sessions"]] == [True]
    assert "匿名" in data["survey_answers"] and data["survey_participations"] == []


def test_a_long_openid_is_shown_masked(api, org):
    make_member(org.community, openid="o6_bmjrPTlm6_2sgVt7hMZOPfL2M")
    data = api.as_resident("o6_bmjrPTlm6_2sgVt7hMZOPfL2M").get("/api/v1/me/data").json
    assert data["profile"]["openid"] == "o6_b****fL2M"


def test_staff_have_no_resident_data_and_cannot_delete_an_account(api, org):
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    assert committee.get("/api/v1/me/data").status_code == 403
    response = committee.delete("/api/v1/me", json={"confirm": "注销"})
    assert response.status_code == 403 and response.json["error"]


def test_anonymous_callers_get_401(client):
    assert client.get("/api/v1/me/data").status_code == 401
    response = client.delete("/api/v1/me", json={"confirm": "注销"})
    assert response.status_code == 401 and response.json["error"]


@pytest.mark.parametrize("body", [{}, {"confirm": "delete"}, {"confirm": "注销", "x": 1},
                                  {"confirm": 1}])
def test_deletion_without_the_confirmation_deletes_nothing(api, org, body):
    make_member(org.community, openid="keeps-account")
    resident = api.as_resident("keeps-account")
    response = resident.delete("/api/v1/me", json=body)
    assert response.status_code == 422 and set(response.json) == {"error", "message", "details"}
    assert resident.get("/api/v1/me").status_code == 200
    assert db.session.execute(db.select(Membership)).scalar_one().status == "approved"


def test_deletion_with_a_body_that_is_not_json_is_refused_in_the_error_shape(api, org):
    make_member(org.community, openid="keeps-account")
    resident = api.as_resident("keeps-account")
    response = resident.delete("/api/v1/me", data="注销", content_type="text/plain")
    assert response.status_code in (400, 415, 422) and response.json["error"]
    assert resident.get("/api/v1/me").status_code == 200


def test_deleting_ends_every_session_and_a_second_delete_is_401(api, org):
    make_member(org.community, openid="leaver")
    phone_a, phone_b = api.as_resident("leaver"), api.as_resident("leaver")
    assert phone_a.delete("/api/v1/me", json={"confirm": "注销"}).status_code == 204
    for phone in (phone_a, phone_b):
        assert phone.get("/api/v1/me").status_code == 401
    second = phone_a.delete("/api/v1/me", json={"confirm": "注销"})
    assert second.status_code == 401 and second.json["error"] == "invalid_token"
    assert db.session.execute(db.select(Resident)).scalars().all() == []


def test_a_report_outlives_its_author_and_staff_still_handle_it(world):
    report = world.file(photos=1)
    assert world.reporter.delete("/api/v1/me", json={"confirm": "注销"}).status_code == 204
    row = db.session.get(Report, report["id"])
    assert row.reporter_id is None and row.reporter_erased and row.photos == []
    assert world.act(report["id"], "accept").status_code == 200
    assert world.committee.get(f"/api/v1/reports/{report['id']}").status_code == 200


def test_recordings_for_the_privacy_page(api, org, record):
    from tests.surveys_support import answers, committee, create_survey, member, submit
    reports = ReportWorld(api, org)
    me = member(api, org.community, "privacy-page", room="701")
    survey_id = create_survey(committee(api), [org.community.id])
    assert submit(me, survey_id, answers()).status_code == 201
    reports.file(client=me, photos=1)
    data = record("me_data", me.get("/api/v1/me/data"))
    assert data.status_code == 200 and data.json["reports"][0]["photos"]
    assert data.json["survey_participations"][0]["survey_id"] == survey_id
    refused = record("me_delete_unconfirmed", me.delete("/api/v1/me", json={"confirm": "好"}))
    assert refused.status_code == 422
    assert record("me_deleted", me.delete("/api/v1/me", json={"confirm": "注销"})
                  ).status_code == 204
