"""The handling state machine: every allowed move, a sample of forbidden ones, who may make
them, rating with one rework, extensions, notifications and audit."""
import pytest

from server.models import AuditLog, Notification, Report
from server.services.reports.workflow import MOVES
from tests.reports_helpers import ReportWorld, upload


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def report_row(db, report_id):
    db.session.expire_all()
    return db.session.get(Report, report_id)


def test_accept(world, db):
    report = world.file()
    response = world.act(report["id"], "accept")
    assert response.status_code == 200 and response.json["status"] == "accepted"
    assert db.session.execute(db.select(AuditLog).filter_by(action="report.accept")).scalar_one()


def test_reject_needs_a_reason_and_closes_unfixed(world, db):
    report = world.file()
    assert world.act(report["id"], "reject").status_code == 422
    response = world.act(report["id"], "reject", note="不属于居委会职责")
    assert response.json["status"] == "rejected" and response.json["closed"] is True
    assert response.json["fixed"] is False and response.json["close_reason"] == "rejected"


def test_merge_into_another_report_makes_the_reporter_a_supporter(world, db):
    target = world.file(client=world.neighbour)
    duplicate = world.file()
    assert world.act(duplicate["id"], "merge").status_code == 422
    response = world.act(duplicate["id"], "merge", merged_into_id=target["id"])
    assert response.json["status"] == "merged" and response.json["merged_into_id"] == target["id"]
    assert world.reporter.get(f"/api/v1/reports/{target['id']}").json["supported"] is True


def test_merge_into_itself_is_422(world):
    report = world.file()
    assert world.act(report["id"], "merge", merged_into_id=report["id"]).status_code == 422


def test_contact_then_assign(world):
    report = world.file()
    world.act(report["id"], "accept")
    assert world.act(report["id"], "contact", note="已电话联系").json["status"] == "contacted"
    assert world.act(report["id"], "assign").status_code == 422
    response = world.act(report["id"], "assign", handler_kind="owners_committee",
                         handler_name="业委会 李主任")
    assert response.json["status"] == "in_progress"
    assert response.json["handler_kind"] == "owners_committee"


def test_refer_to_12345_closes_without_fixing(world):
    report = world.file()
    world.to_status(report["id"], "contacted")
    response = world.act(report["id"], "refer", referral_ref="12345-20250101-0001")
    assert response.json["status"] == "referred" and response.json["closed"] is True
    assert response.json["fixed"] is False and response.json["referral_ref"].startswith("12345")


def test_resolve_needs_a_reply_and_after_photos(world):
    report = world.file()
    world.to_status(report["id"], "in_progress")
    assert world.act(report["id"], "resolve", note="已清理").status_code == 422
    photo_id = upload(world.committee).json["id"]
    response = world.act(report["id"], "resolve", note="已清理", photo_ids=[photo_id])
    assert response.json["status"] == "resolved" and response.json["reply"] == "已清理"
    assert response.json["timeline"][-1]["photos"][0]["id"] == photo_id
    # The reporter sees the after-photo too.
    detail = world.reporter.get(f"/api/v1/reports/{report['id']}").json
    assert detail["timeline"][-1]["photos"][0]["id"] == photo_id


@pytest.mark.parametrize("status,action", [
    ("submitted", "resolve"), ("submitted", "contact"), ("accepted", "accept"),
    ("accepted", "resolve"), ("in_progress", "accept"), ("resolved", "reject"),
])
def test_moves_outside_the_table_are_409_and_change_nothing(world, db, status, action):
    report = world.file()
    if status != "submitted":
        world.to_status(report["id"], status)
    response = world.act(report["id"], action, note="x", photo_ids=[])
    assert response.status_code == 409 and response.json["error"] == "report_bad_move"
    assert report_row(db, report["id"]).status == status


def test_the_table_has_every_documented_move():
    assert {k for k in MOVES if k[0] in ("submitted", "accepted", "contacted", "in_progress",
                                         "resolved") and "extension" not in k[1]} == {
        ("submitted", "accept"), ("submitted", "reject"), ("submitted", "merge"),
        ("accepted", "contact"), ("contacted", "assign"), ("contacted", "refer"),
        ("in_progress", "resolve"), ("resolved", "confirm"), ("resolved", "rework"),
        ("resolved", "close_dissatisfied"), ("resolved", "auto_close")}


def test_street_cannot_make_committee_moves(world, db):
    report = world.file()
    response = world.act(report["id"], "accept", client=world.street)
    assert response.status_code == 403 and report_row(db, report["id"]).status == "submitted"


def test_committee_outside_scope_gets_404(world):
    report = world.file()
    assert world.act(report["id"], "accept", client=world.far_committee).status_code == 404


def test_residents_cannot_act(world):
    report = world.file()
    assert world.act(report["id"], "accept", client=world.reporter).status_code == 403


def test_unknown_action_is_422(world):
    report = world.file()
    assert world.act(report["id"], "teleport").status_code == 422


def test_every_change_notifies_reporter_and_supporters(world, db):
    report = world.file()
    world.neighbour.post(f"/api/v1/reports/{report['id']}/support")
    world.act(report["id"], "accept")
    rows = db.session.execute(db.select(Notification).filter_by(kind="report_status")
                              ).scalars().all()
    assert sorted(n.resident.openid for n in rows) == ["neighbour", "reporter"]
    assert rows[0].fields["status"] == "已受理"


def test_satisfied_rating_closes_as_fixed(world, record):
    report = world.file()
    world.to_status(report["id"], "resolved")
    response = record("report_rating", world.reporter.post(
        f"/api/v1/reports/{report['id']}/rating", json={"rating": "basically_satisfied"}))
    assert response.json["status"] == "closed" and response.json["fixed"] is True
    assert response.json["close_reason"] == "confirmed"


def test_rework_once_then_a_second_dissatisfied_closes_unfixed(world):
    report = world.file()
    world.to_status(report["id"], "resolved")
    url = f"/api/v1/reports/{report['id']}/rating"
    first = world.reporter.post(url, json={"rating": "dissatisfied", "note": "没清理干净"})
    assert first.json["status"] == "in_progress" and first.json["rework_count"] == 1
    world.act(report["id"], "resolve", note="再次清理",
              photo_ids=[upload(world.committee).json["id"]])
    second = world.reporter.post(url, json={"rating": "dissatisfied"})
    assert second.json["status"] == "closed" and second.json["fixed"] is False
    assert second.json["close_reason"] == "dissatisfied" and second.json["rework_count"] == 1


def test_only_the_reporter_rates(world):
    report = world.file()
    world.to_status(report["id"], "resolved")
    response = world.neighbour.post(f"/api/v1/reports/{report['id']}/rating",
                                    json={"rating": "satisfied"})
    assert response.status_code == 403


def test_rating_before_resolution_is_409_without_internal_action_names(world):
    report = world.file()
    response = world.reporter.post(f"/api/v1/reports/{report['id']}/rating",
                                   json={"rating": "satisfied"})
    assert response.status_code == 409 and response.json["error"] == "report_not_ratable"
    assert response.json["details"] == {"status": "submitted"}
    assert "confirm" not in response.get_data(as_text=True)


def test_the_openapi_document_says_resolving_needs_an_after_photo(client):
    spec = client.get("/api/openapi.json").json
    action_in = spec["components"]["schemas"]["ActionIn"]["properties"]
    assert "resolve 时必填" in action_in["photo_ids"]["description"]
    operation = spec["paths"]["/api/v1/reports/{report_id}/actions"]["post"]
    assert "after-photo" in operation["summary"] + operation.get("description", "")


def test_bad_rating_is_422(world):
    report = world.file()
    response = world.reporter.post(f"/api/v1/reports/{report['id']}/rating",
                                   json={"rating": "great"})
    assert response.status_code == 422


def test_extension_is_asked_by_committee_and_approved_by_street(world, db):
    report = world.file()
    world.to_status(report["id"], "in_progress")
    before = report_row(db, report["id"]).resolve_due_at
    asked = world.act(report["id"], "request_extension", days=3, note="需采购配件")
    assert asked.status_code == 200
    assert world.act(report["id"], "approve_extension").status_code == 403  # committee
    approved = world.act(report["id"], "approve_extension", client=world.street)
    assert approved.status_code == 200
    assert report_row(db, report["id"]).resolve_due_at > before
    assert approved.json["extensions"][0]["status"] == "approved"


def test_extension_needs_days(world):
    report = world.file()
    world.to_status(report["id"], "in_progress")
    assert world.act(report["id"], "request_extension", note="x").status_code == 422
    assert world.act(report["id"], "request_extension", note="x", days=0).status_code == 422


def test_approving_without_a_request_is_409(world):
    report = world.file()
    world.to_status(report["id"], "in_progress")
    assert world.act(report["id"], "approve_extension", client=world.street).status_code == 409


def test_street_rejects_an_extension_with_a_reason(world):
    report = world.file()
    world.to_status(report["id"], "accepted")
    world.act(report["id"], "request_extension", days=2, note="x")
    assert world.act(report["id"], "reject_extension", client=world.street).status_code == 422
    response = world.act(report["id"], "reject_extension", client=world.street, note="可按期办结")
    assert response.json["extensions"][0]["status"] == "rejected"
