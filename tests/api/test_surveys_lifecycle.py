"""Surveys from draft to closed: who may create, edit, publish, close and see them."""
from server.models import AuditLog, Notification, OutboxMessage, Survey, SurveyQuestion
from server.services.surveys import announce, definitions
from tests.builders import make_member, make_staff
from tests.surveys_support import QUESTIONS, committee, create_survey, member, survey_body


def count(db, model, **filters):
    return db.session.execute(db.select(db.func.count()).select_from(model)
                              .filter_by(**filters)).scalar_one()


def test_committee_creates_a_draft_and_it_is_audited(api, org, db):
    response = committee(api).post("/api/v1/surveys", json=survey_body([org.community.id]))
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "draft" and body["manageable"] is True
    assert [q["key"] for q in body["questions"]] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    assert body["questions"][0]["options"][0] == {"value": 5, "label": "非常满意"}
    assert body["definition_version"] == definitions.CURRENT_DEFINITION
    entry = db.session.execute(db.select(AuditLog).filter_by(action="survey.create")).scalar_one()
    assert entry.object_id == str(body["id"])


def test_the_city_template_covers_all_seven_areas(api, org):
    body = survey_body([org.community.id], template_code=definitions.DEFAULT_TEMPLATE_CODE)
    del body["questions"]
    response = committee(api).post("/api/v1/surveys", json=body)
    assert response.status_code == 201
    areas = {q["area_code"] for q in response.json["questions"] if q["kind"] == "satisfaction"}
    assert areas == set(definitions.AREAS)
    assert response.json["template_code"] == definitions.DEFAULT_TEMPLATE_CODE


def test_bad_questions_are_422_and_write_nothing(api, org, db):
    staff = committee(api)
    bad_sets = [
        [{"kind": "satisfaction", "text": "没有领域"}],
        [{"key": "a", "kind": "single", "text": "只有一个选项",
          "options": [{"value": "x", "label": "x"}]}],
        [{"key": "a", "kind": "satisfaction", "text": "条件指向后面", "area_code": "S1",
          "show_if": {"question": "b", "in": [5]}},
         {"key": "b", "kind": "satisfaction", "text": "b", "area_code": "S1"}],
        [{"key": "a", "kind": "single", "text": "a",
          "options": [{"value": "x", "label": "x"}, {"value": "y", "label": "y"}]},
         {"key": "b", "kind": "short_text", "text": "b", "show_if": {"question": "a", "in": ["z"]}}],
        [{"key": "a", "kind": "long_text", "text": "a", "area_code": "S2"}],
    ]
    for questions in bad_sets:
        response = staff.post("/api/v1/surveys", json=survey_body([org.community.id],
                                                                  questions=questions))
        assert response.status_code == 422, questions
        assert response.json["error"] == "invalid_questions"
    assert count(db, Survey) == 0 and count(db, SurveyQuestion) == 0


def test_close_before_open_unknown_field_and_no_questions_are_422(api, org, db):
    staff = committee(api)
    body = survey_body([org.community.id])
    body["closes_at"] = body["opens_at"]
    assert staff.post("/api/v1/surveys", json=body).status_code == 422
    assert staff.post("/api/v1/surveys", json=survey_body([org.community.id],
                                                           colour="red")).status_code == 422
    no_questions = survey_body([org.community.id])
    del no_questions["questions"]
    assert staff.post("/api/v1/surveys", json=no_questions).status_code == 422
    assert count(db, Survey) == 0


def test_residents_cannot_create_and_staff_cannot_reach_outside_their_scope(api, org, db):
    make_member(org.community, openid="m1")
    assert api.as_resident("m1").post(
        "/api/v1/surveys", json=survey_body([org.community.id])).status_code == 403
    response = committee(api).post("/api/v1/surveys", json=survey_body([org.far_community.id]))
    assert response.status_code == 404 and response.json["error"] == "community_not_found"
    assert count(db, Survey) == 0


def test_publishing_freezes_questions_and_promises_the_announcement(api, org, db):
    staff = committee(api)
    survey_id = create_survey(staff, [org.community.id], publish=False)
    assert staff.patch(f"/api/v1/surveys/{survey_id}", json={"title": "新标题"}).status_code == 200
    assert staff.post(f"/api/v1/surveys/{survey_id}/publish").json["status"] == "published"
    assert count(db, OutboxMessage, kind="survey.announce") == 1
    frozen = staff.patch(f"/api/v1/surveys/{survey_id}", json={"questions": QUESTIONS[:1]})
    assert frozen.status_code == 409 and frozen.json["error"] == "survey_frozen"
    assert staff.patch(f"/api/v1/surveys/{survey_id}", json={"intro": "延长一周"}).status_code \
        == 200
    assert staff.post(f"/api/v1/surveys/{survey_id}/publish").status_code == 409


def test_announcement_tells_each_approved_member_once(api, org, db):
    member(api, org.community, "m1")
    member(api, org.community, "m2", room="102")
    make_member(org.community, openid="pending-1", status="pending")
    survey_id = create_survey(committee(api), [org.community.id])
    assert announce.announce(survey_id) == 2
    assert announce.announce(survey_id) == 0  # a retried job tells nobody twice
    titles = db.session.execute(db.select(Notification.title).filter_by(
        kind="survey_opened")).scalars().all()
    assert len(titles) == 2 and all("2026年居民满意度调查" in t for t in titles)


def test_a_survey_without_questions_cannot_be_published(api, org, db):
    staff = committee(api)
    survey_id = create_survey(staff, [org.community.id], publish=False, questions=[])
    response = staff.post(f"/api/v1/surveys/{survey_id}/publish")
    assert response.status_code == 409 and response.json["error"] == "survey_has_no_questions"
    assert db.session.get(Survey, survey_id).status == "draft"


def test_close_needs_a_published_survey_and_staff(api, org, db):
    staff = committee(api)
    draft = create_survey(staff, [org.community.id], publish=False)
    assert staff.post(f"/api/v1/surveys/{draft}/close").status_code == 409
    survey_id = create_survey(staff, [org.community.id])
    resident = member(api, org.community, "m1")
    assert resident.post(f"/api/v1/surveys/{survey_id}/close").status_code == 403
    assert resident.post(f"/api/v1/surveys/{survey_id}/publish").status_code == 403
    assert resident.patch(f"/api/v1/surveys/{survey_id}", json={}).status_code == 403
    response = staff.post(f"/api/v1/surveys/{survey_id}/close")
    assert response.status_code == 200 and response.json["status"] == "closed"
    assert count(db, OutboxMessage, kind="scoring.recompute") == 1
    assert staff.patch(f"/api/v1/surveys/{survey_id}", json={"intro": "x"}).status_code == 409


def test_patch_rejects_bad_input(api, org):
    staff = committee(api)
    survey_id = create_survey(staff, [org.community.id], publish=False)
    assert staff.patch(f"/api/v1/surveys/{survey_id}",
                       json={"response_unit": "building"}).status_code == 422
    assert staff.patch(f"/api/v1/surveys/{survey_id}", json={"questions": [
        {"kind": "satisfaction", "text": "x"}]}).status_code == 422


def test_patching_a_drafts_questions_replaces_them_keys_and_all(api, org):
    staff = committee(api)
    survey_id = create_survey(staff, [org.community.id], publish=False)
    replaced = staff.patch(f"/api/v1/surveys/{survey_id}", json={"questions": QUESTIONS[:2] + [
        {"key": "q3", "kind": "short_text", "text": "您的建议"}]})
    assert replaced.status_code == 200, replaced.json
    assert [(q["key"], q["kind"]) for q in replaced.json["questions"]] == [
        ("q1", "satisfaction"), ("q2", "satisfaction"), ("q3", "short_text")]


def test_street_survey_is_seen_but_not_managed_by_the_committee(api, org):
    street = api.as_staff(make_staff("street", "XH-TP"))
    survey_id = create_survey(street, [org.community.id, org.sibling.id])
    staff = committee(api)
    seen = staff.get(f"/api/v1/surveys/{survey_id}")
    assert seen.status_code == 200 and seen.json["manageable"] is False
    assert staff.post(f"/api/v1/surveys/{survey_id}/close").status_code == 403
    draft = create_survey(street, [org.community.id], publish=False)
    assert staff.get(f"/api/v1/surveys/{draft}").status_code == 404


def test_staff_outside_the_scope_get_404(api, org):
    survey_id = create_survey(committee(api), [org.community.id])
    far = api.as_staff(make_staff("street", "JA-CJ"))
    assert far.get(f"/api/v1/surveys/{survey_id}").status_code == 404
    assert far.patch(f"/api/v1/surveys/{survey_id}", json={"intro": "x"}).status_code == 404
    assert far.post(f"/api/v1/surveys/{survey_id}/close").status_code == 404
    assert far.get("/api/v1/surveys").json["total"] == 0


def test_residents_see_the_open_surveys_of_their_community(api, org, record):
    staff = committee(api)
    survey_id = create_survey(staff, [org.community.id])
    create_survey(staff, [org.community.id], publish=False)  # a draft stays hidden
    create_survey(staff, [org.sibling.id])  # another community's survey too
    resident = member(api, org.community, "m1")
    listed = record("surveys_list", resident.get("/api/v1/surveys?status=open"))
    assert [s["id"] for s in listed.json["items"]] == [survey_id]
    assert listed.json["items"][0]["answered"] is False
    detail = record("survey_detail", resident.get(f"/api/v1/surveys/{survey_id}"))
    assert detail.status_code == 200 and detail.json["accepting"] is True
    assert detail.json["questions"][3]["show_if"] == {"question": "q3", "in": ["yes"]}


def test_residents_outside_the_audience_get_404(api, org):
    survey_id = create_survey(committee(api), [org.community.id])
    outsider = member(api, org.sibling, "m2")
    assert outsider.get(f"/api/v1/surveys/{survey_id}").status_code == 404
    assert outsider.get("/api/v1/surveys").json["total"] == 0
    assert api.get(f"/api/v1/surveys/{survey_id}").status_code == 401


def test_bad_list_filter_is_422(api, org):
    assert committee(api).get("/api/v1/surveys?status=someday").status_code == 422
