"""Rectification orders (督查整改): the street issues, the committee answers with photos, the
street passes or returns; audited; scoped."""
from datetime import timedelta

import pytest

from server.models import AuditLog
from tests.clock import shanghai_today
from tests.reports_helpers import ReportWorld, upload


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def issue(world, client=None, **overrides):
    report = world.file()
    body = {"community_id": world.org.community.id, "title": "楼道堆物整改",
            "requirement": "一周内清理 2 号楼楼道堆物", "area": "S5",
            "report_ids": [report["id"]],
            "deadline": (shanghai_today() + timedelta(days=7)).isoformat(), **overrides}
    return (client or world.street).post("/api/v1/rectifications", json=body)


def test_street_issues_an_order(world, db):
    response = issue(world)
    assert response.status_code == 201 and response.json["status"] == "issued"
    assert response.json["overdue"] is False and len(response.json["report_ids"]) == 1
    assert db.session.execute(db.select(AuditLog).filter_by(
        action="rectification.issue")).scalar_one()


def test_committee_cannot_issue(world):
    assert issue(world, client=world.committee).status_code == 403


def test_residents_cannot_issue_or_list(world):
    assert issue(world, client=world.reporter).status_code == 403
    assert world.reporter.get("/api/v1/rectifications").status_code == 403


def test_order_needs_reports_or_an_area(world):
    assert issue(world, report_ids=[], area=None).status_code == 422


def test_deadline_in_the_past_is_422(world):
    assert issue(world, deadline="2020-01-01").status_code == 422


def test_order_for_a_community_outside_the_street_is_404(world):
    assert issue(world, community_id=world.org.far_community.id, report_ids=[]).status_code == 404


def test_reports_of_another_community_are_422(world, api, org):
    from tests.builders import make_member
    make_member(org.sibling, openid="sib")
    other = world.file(client=api.as_resident("sib"))
    assert issue(world, report_ids=[other["id"]]).status_code == 422


def test_committee_answers_with_photos_and_street_passes(world, db):
    order = issue(world).json
    photo_id = upload(world.committee).json["id"]
    url = f"/api/v1/rectifications/{order['id']}/actions"
    answered = world.committee.post(url, json={"action": "answer", "note": "已清理",
                                               "photo_ids": [photo_id]})
    assert answered.status_code == 200 and answered.json["status"] == "answered"
    assert answered.json["events"][-1]["photos"][0]["id"] == photo_id
    passed = world.street.post(url, json={"action": "pass"})
    assert passed.json["status"] == "passed"
    actions = {a.action for a in db.session.execute(db.select(AuditLog)).scalars()}
    assert {"rectification.answer", "rectification.pass"} <= actions


def test_street_returns_and_committee_answers_again(world):
    order = issue(world).json
    url = f"/api/v1/rectifications/{order['id']}/actions"
    world.committee.post(url, json={"action": "answer", "note": "已清理"})
    assert world.street.post(url, json={"action": "return"}).status_code == 422
    returned = world.street.post(url, json={"action": "return", "note": "仍有堆物"})
    assert returned.json["status"] == "returned"
    again = world.committee.post(url, json={"action": "answer", "note": "已全部清理"})
    assert again.json["status"] == "answered"


def test_passing_before_an_answer_is_409(world):
    order = issue(world).json
    response = world.street.post(f"/api/v1/rectifications/{order['id']}/actions",
                                 json={"action": "pass"})
    assert response.status_code == 409


def test_street_cannot_answer_for_the_committee(world):
    order = issue(world).json
    response = world.street.post(f"/api/v1/rectifications/{order['id']}/actions",
                                 json={"action": "answer", "note": "x"})
    assert response.status_code == 403


def test_orders_are_listed_in_scope_only(world):
    issue(world)
    assert world.committee.get("/api/v1/rectifications").json["total"] == 1
    assert world.district.get("/api/v1/rectifications?status=issued").json["total"] == 1
    assert world.far_committee.get("/api/v1/rectifications").json["total"] == 0


def test_bad_list_filter_is_422(world):
    assert world.street.get("/api/v1/rectifications?status=done").status_code == 422


def test_unknown_action_is_422(world):
    order = issue(world).json
    response = world.committee.post(f"/api/v1/rectifications/{order['id']}/actions",
                                    json={"action": "ignore"})
    assert response.status_code == 422


def test_order_outside_scope_is_404(world):
    order = issue(world).json
    assert world.far_committee.get(f"/api/v1/rectifications/{order['id']}").status_code == 404
