"""Account deletion, path by path: work still in flight for the resident (a content check
WeChat has not answered, a notification not yet sent), a per-resident survey, a volunteer's
inspections, and neighbours who must lose nothing."""
from datetime import timedelta

import responses
import time_machine

from server.extensions import db
from server.models import (ContentCheck, FieldInspection, InspectionItem, Membership,
                           Notification, OutboxMessage, Photo, Report, SurveyComment,
                           SurveyParticipation, VolunteerSupervisor)
from server.models.base import utcnow
from tests import wechat_http
from tests.api.test_inspections import approved_volunteer, draw_body, world  # noqa: F401
from tests.jobs.worker import work
from tests.reports_helpers import ReportWorld, upload
from tests.surveys_support import answers, committee, create_survey, member, submit

CONFIRM = {"confirm": "注销"}


def test_checks_waiting_for_wechat_are_held_for_staff_and_never_sent(api, org):
    reports = ReportWorld(api, org, checks=True)
    report = reports.file()
    survey_id = create_survey(committee(api), [org.community.id])
    resident = member(api, org.community, "commenter", room="301")
    assert submit(resident, survey_id, answers(q6="希望修好路灯")).status_code == 201
    assert db.session.execute(db.select(ContentCheck.status)).scalars().all() == ["pending"] * 2
    assert resident.delete("/api/v1/me", json=CONFIRM).status_code == 204
    assert reports.reporter.delete("/api/v1/me", json=CONFIRM).status_code == 204
    # The queued checks run: nothing goes to WeChat (no openid is left to send).
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps, \
            time_machine.travel(utcnow() + timedelta(minutes=10), tick=False):
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        wechat_http.add_msg_sec_check(rsps)
        work()
        assert wechat_http.calls_to(rsps, wechat_http.MSG_SEC_CHECK_URL) == []
    db.session.expire_all()
    report_check = db.session.get(Report, report["id"]).content_check
    assert report_check.status == "risky" and report_check.author_id is None
    comment = db.session.execute(db.select(SurveyComment)).scalar_one()
    assert comment.status == "held"
    assert db.session.execute(db.select(ContentCheck.author_id)).scalars().all() == [None, None]


def test_notifications_not_yet_sent_are_deleted_with_their_outbox_rows(api, org):
    reports = ReportWorld(api, org)
    report = reports.file()
    assert reports.act(report["id"], "accept").status_code == 200
    assert db.session.execute(db.select(Notification)).scalars().all()
    assert reports.reporter.delete("/api/v1/me", json=CONFIRM).status_code == 204
    assert db.session.execute(db.select(Notification)).scalars().all() == []
    kinds = db.session.execute(db.select(OutboxMessage.kind)).scalars().all()
    assert "notification.deliver" not in kinds


def test_a_per_resident_survey_forgets_the_person_but_not_that_they_answered(api, org):
    survey_id = create_survey(committee(api), [org.community.id], response_unit="resident")
    resident = member(api, org.community, "voter")
    assert submit(resident, survey_id).status_code == 201
    assert resident.delete("/api/v1/me", json=CONFIRM).status_code == 204
    row = db.session.execute(db.select(SurveyParticipation)).scalar_one()
    assert row.resident_id is None and row.idempotency_hash is None
    assert not row.respondent_key.startswith("r") and row.household_id is not None


def test_neighbours_lose_nothing(api, org):
    reports = ReportWorld(api, org)
    theirs = reports.file(client=reports.neighbour, photos=1)
    reports.file(photos=1)
    assert reports.reporter.post(f"/api/v1/reports/{theirs['id']}/support").status_code == 200
    assert reports.reporter.delete("/api/v1/me", json=CONFIRM).status_code == 204
    assert reports.neighbour.get("/api/v1/me").json["memberships"]
    assert db.session.execute(db.select(db.func.count()).select_from(Membership)).scalar() == 2
    (photo,) = db.session.execute(db.select(Photo)).scalars().all()
    assert photo.report_id == theirs["id"]
    # Their "me too" went; the report's count of supporters is a figure, not a person.
    body = reports.neighbour.get(f"/api/v1/reports/{theirs['id']}").json
    assert body["support_count"] == 1


def test_a_volunteer_leaves_their_inspection_unsigned_and_without_their_photos(world, org):
    volunteer_id = approved_volunteer(world)
    drawn = world["street"].post("/api/v1/inspections", json=draw_body(org, volunteer_id)).json
    item = drawn["items"][0]
    photo = upload(world["volunteer"]).json["id"]
    assert world["volunteer"].put(f"/api/v1/inspections/{drawn['id']}/items/{item['id']}",
                                  json={"grade": "B", "photo_id": photo, "note": ""}
                                  ).status_code == 200
    assert world["volunteer"].delete("/api/v1/me", json=CONFIRM).status_code == 204
    volunteer = db.session.get(VolunteerSupervisor, volunteer_id)
    assert volunteer.resident_id is None and volunteer.status == "withdrawn"
    graded = db.session.get(InspectionItem, item["id"])
    assert graded.grade == "B" and graded.photo_id is None
    assert db.session.get(FieldInspection, drawn["id"]) is not None
