"""Staff review of held content: list in scope, release or reject, audited."""
from server.models import AuditLog
from server.services import content_checks
from tests.builders import make_member, make_staff


def held(db, community, openid="author-1", status="risky", subject_type="report"):
    author = make_member(community, openid=openid)
    check = content_checks.submit_text(author, "可疑的文字", subject_type, "1",
                                       community=community)
    check.status = status
    db.session.commit()
    return check


def test_committee_lists_held_content_in_its_scope(api, db, org):
    mine = held(db, org.community)
    held(db, org.far_community, openid="far-author")
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    body = committee.get("/api/v1/content-checks?status=risky").json
    assert body["total"] == 1 and body["items"][0]["id"] == mine.id
    assert body["items"][0]["content"] == "可疑的文字"


def test_reviewers_see_who_wrote_a_report_but_never_who_wrote_a_survey_comment(api, db, org):
    report_text = held(db, org.community)
    comment = held(db, org.community, openid="respondent", subject_type="survey_comment")
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    items = {i["id"]: i for i in committee.get("/api/v1/content-checks?status=risky")
             .json["items"]}
    assert items[report_text.id]["author_id"] == report_text.author_id
    assert items[comment.id]["author_id"] is None
    released = committee.post(f"/api/v1/content-checks/{comment.id}/release", json={})
    assert released.status_code == 200 and released.json["author_id"] is None


def test_release_publishes_and_is_audited(api, db, org):
    check = held(db, org.community)
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    response = committee.post(f"/api/v1/content-checks/{check.id}/release",
                              json={"note": "经核实无问题"})
    assert response.status_code == 200 and response.json["status"] == "passed"
    db.session.refresh(check)
    assert content_checks.visible_to(None, check)
    entry = db.session.execute(db.select(AuditLog).filter_by(action="content.release")).scalar_one()
    assert entry.object_id == str(check.id) and entry.after["note"] == "经核实无问题"


def test_reject_keeps_it_hidden(api, db, org):
    check = held(db, org.community)
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    response = committee.post(f"/api/v1/content-checks/{check.id}/reject", json={})
    assert response.status_code == 200 and response.json["status"] == "rejected"
    db.session.refresh(check)
    assert not content_checks.visible_to(None, check)


def test_releasing_rejected_content_is_409(api, db, org):
    check = held(db, org.community, status="rejected")
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    response = committee.post(f"/api/v1/content-checks/{check.id}/release", json={})
    assert response.status_code == 409 and response.json["details"]["status"] == "rejected"


def test_content_outside_the_scope_is_404(api, db, org):
    check = held(db, org.far_community)
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    response = committee.post(f"/api/v1/content-checks/{check.id}/release", json={})
    assert response.status_code == 404
    db.session.refresh(check)
    assert check.status == "risky"


def test_overlong_note_is_422(api, db, org):
    check = held(db, org.community)
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    response = committee.post(f"/api/v1/content-checks/{check.id}/reject",
                              json={"note": "长" * 201})
    assert response.status_code == 422 and "note" in response.json["details"]["fields"]


def test_bad_status_filter_is_422(api, org):
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    assert committee.get("/api/v1/content-checks?status=maybe").status_code == 422


def test_residents_cannot_review(api, db, org):
    check = held(db, org.community)
    resident = api.as_resident("author-1")
    assert resident.get("/api/v1/content-checks").status_code == 403
    assert resident.post(f"/api/v1/content-checks/{check.id}/release",
                         json={}).status_code == 403
    db.session.refresh(check)
    assert check.status == "risky"
