"""More real answers recorded for the mini-program's page tests (tests/recording.py): the public
board, a resolved report's detail, the staff inbox and a staff move, ended surveys and live
results. Queries are the ones miniprogram/services/ send, so the page tests replay them as they
are. Each test also asserts the answer it records, so a recording is never of an error by
accident."""
from datetime import timedelta

import pytest

from server.models.base import utcnow
from server.services.reports import sla
from tests.reports_helpers import ReportWorld, upload
from tests.surveys_support import (add_ballots, committee, create_survey, member, submit)


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def test_record_board_after_a_public_report_is_closed(world, record):
    report = world.file(photos=1)
    world.to_status(report["id"], "resolved")
    rated = world.reporter.post(f"/api/v1/reports/{report['id']}/rating",
                                json={"rating": "satisfied"})
    assert rated.json["status"] == "closed"
    world.file()  # still open: not on the board
    board = record("reports_board",
                   world.neighbour.get("/api/v1/reports/board?page=1&per_page=10"))
    assert board.status_code == 200
    assert [r["id"] for r in board.json["items"]] == [report["id"]]
    item = board.json["items"][0]
    assert item["reply"] == "已清理" and item["rating"] == "satisfied"
    assert len(item["photos"]) == 1


def test_record_resolved_detail_before_rating(world, record):
    report = world.file(photos=1)
    world.to_status(report["id"], "resolved")
    detail = record("report_detail_resolved",
                    world.reporter.get(f"/api/v1/reports/{report['id']}"))
    assert detail.status_code == 200
    assert detail.json["status"] == "resolved" and detail.json["reply"] == "已清理"
    assert detail.json["allowed_actions"] == ["rate"]
    assert detail.json["closed"] is False


def test_record_staff_inbox_and_moves(world, db, record):
    overdue = world.file(description="楼道灯坏了一个月")
    assert sla.scan(now=utcnow() + timedelta(days=60)) == 1
    fresh = world.file(building="10号楼")
    staff = world.committee
    inbox = record("reports_inbox",
                   staff.get("/api/v1/reports?overdue=true&page=1&per_page=20"))
    assert inbox.status_code == 200
    assert [r["id"] for r in inbox.json["items"]] == [overdue["id"]]
    assert inbox.json["items"][0]["overdue"] is True

    # accept: the staff page's detail of a new report, then the move.
    detail = record("report_staff_detail", staff.get(f"/api/v1/reports/{fresh['id']}"))
    assert detail.json["status"] == "submitted"
    assert {"accept", "reject"} <= set(detail.json["allowed_actions"])
    accepted = record("report_action", world.act(fresh["id"], "accept"))
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    assert accepted.json["allowed_actions"]

    # assign, then resolve with an after-photo, on the overdue report.
    world.to_status(overdue["id"], "contacted")
    contacted = record("report_staff_contacted", staff.get(f"/api/v1/reports/{overdue['id']}"))
    assert contacted.json["status"] == "contacted" and "assign" in contacted.json["allowed_actions"]
    assigned = record("report_action_assign", world.act(
        overdue["id"], "assign", handler_kind="property", handler_name="物业 王师傅"))
    assert assigned.status_code == 200 and assigned.json["status"] == "in_progress"
    in_progress = record("report_staff_in_progress",
                         staff.get(f"/api/v1/reports/{overdue['id']}"))
    assert in_progress.json["status"] == "in_progress"
    assert "resolve" in in_progress.json["allowed_actions"]
    assert in_progress.json["overdue"] is True
    photo = upload(staff).json["id"]
    resolved = record("report_action_resolve", world.act(
        overdue["id"], "resolve", note="已清理", photo_ids=[photo]))
    assert resolved.status_code == 200 and resolved.json["status"] == "resolved"
    assert resolved.json["reply"] == "已清理"
    assert resolved.json["overdue"] is False  # resolved: waiting on the resident, not late

    # The reporter's messages about these moves: listed, one opened, then all read.
    listed = record("notifications_report",
                    world.reporter.get("/api/v1/notifications?page=1&per_page=20"))
    assert listed.status_code == 200 and listed.json["total"] >= 2
    newest = listed.json["items"][0]
    assert newest["kind"] == "report_status" and newest["read_at"] is None
    assert newest["page"] == f"pages/report-detail/index?id={overdue['id']}"
    read = record("notification_read_report",
                  world.reporter.post(f"/api/v1/notifications/{newest['id']}/read"))
    assert read.status_code == 200 and read.json["read_at"] is not None
    all_read = record("notifications_read_all",
                      world.reporter.post("/api/v1/notifications/read-all"))
    assert all_read.json == {"updated": listed.json["total"] - 1}


def test_record_ended_surveys_for_a_resident(api, org, db, record):
    staff = committee(api)
    ended_id = create_survey(staff, [org.community.id], title="2025年居民满意度调查")
    resident = member(api, org.community, "m-ended")
    assert submit(resident, ended_id).status_code == 201
    assert staff.post(f"/api/v1/surveys/{ended_id}/close").status_code == 200
    create_survey(staff, [org.community.id])  # still open: not among the ended
    listed = record("surveys_ended",
                    resident.get("/api/v1/surveys?status=ended&page=1&per_page=20"))
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json["items"]] == [ended_id]
    assert listed.json["items"][0]["accepting"] is False
    assert listed.json["items"][0]["answered"] is True


def test_record_live_results_for_staff(api, org, db, record):
    from server.models import Survey
    staff = committee(api)
    survey_id = create_survey(staff, [org.community.id])
    survey = db.session.get(Survey, survey_id)
    add_ballots(survey, org.community, {"q1": 5, "q2": 4}, count=6, choices={"q3": ["no"]})
    live = record("survey_results_live", staff.get(f"/api/v1/surveys/{survey_id}/results"))
    assert live.status_code == 200
    assert live.json["live"] is True and live.json["status"] == "published"
    assert live.json["overall"]["rate"] == 1.0



def test_record_membership_apply_invalid(api, org, record):
    resident = api.as_resident("o-invalid")
    response = record("membership_apply_invalid", resident.post("/api/v1/memberships", json={
        "community_id": org.community.id, "building": "1" * 41, "room": "101"}))
    assert response.status_code == 422 and response.json["error"]
    assert "building" in response.json["details"]["fields"]
    assert isinstance(response.json["details"]["fields"]["building"][0], str)
