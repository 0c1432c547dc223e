"""The evaluation's endpoints: rights, bad input, the status cache, the recompute job."""
from datetime import date

import pytest
from sqlalchemy import event

from server.models import IndicatorEntry, OutboxMessage, ScoreSnapshot, VetoEvent
from server.services import outbox
from server.services.scoring import request_recompute
from tests import scoring_fixtures as fx
from tests.builders import make_member, make_staff
from tests.jobs.worker import work


@pytest.fixture
def world(app, db, org, calendar):
    calendar(date(2026, 11, 29))
    fw = fx.load(fx.SMALL)
    cycle = fx.make_cycle(2025, fw, quotas={org.district: 1})
    fx.participate(cycle, org.community, stage="creating")
    return {"cycle": cycle, "fw": fw}


def _as(api, role, scope, name=None):
    return api.as_staff(make_staff(role, scope, username=name))


def test_scores_for_staff_in_scope_with_history(api, world, org):
    committee = _as(api, "committee", "XH-TP-R01")
    assert committee.put(f"/api/v1/communities/{org.community.id}/entries/S5.1",
                         json={"value": "A", "note": "已整治"}).status_code == 200
    work()  # the outbox row -> the scoring job
    body = committee.get(f"/api/v1/communities/{org.community.id}/scores").json
    assert body["current"]["total"] == 25.0 and body["current"]["unknown_points"] == 75.0
    assert body["current"]["framework"]["illustrative"] is True
    assert len(body["history"]) == 1 and body["current"]["gap"]["gap"] == 70.0


def test_scores_outside_scope_are_404_and_residents_403(api, world, org):
    far = _as(api, "committee", "JA-CJ-R01")
    assert far.get(f"/api/v1/communities/{org.community.id}/scores").status_code == 404
    make_member(org.community, openid="m1")
    resident = api.as_resident("m1")
    assert resident.get(f"/api/v1/communities/{org.community.id}/scores").status_code == 403


def test_scores_bad_query_is_422(api, world, org):
    committee = _as(api, "committee", "XH-TP-R01")
    response = committee.get(f"/api/v1/communities/{org.community.id}/scores?at=yesterday")
    assert response.status_code == 422 and response.json["error"] == "invalid"


def test_a_grade_outside_the_bands_is_refused_with_its_reason(api, world, org, db):
    committee = _as(api, "committee", "XH-TP-R01")
    response = committee.put(f"/api/v1/communities/{org.community.id}/entries/S5.1",
                             json={"value": "S"})
    assert response.status_code == 422
    assert response.json["details"]["reasons"][0]["allowed"] == "A / B / C"
    assert db.session.execute(db.select(IndicatorEntry)).first() is None


def test_only_the_committee_self_assesses_and_street_reviews_with_a_reason(api, world, org):
    path = f"/api/v1/communities/{org.community.id}/entries/S5.1"
    street = _as(api, "street", "XH-TP")
    assert street.put(path, json={"value": "A"}).status_code == 403
    _as(api, "committee", "XH-TP-R01").put(path, json={"value": "A"})
    response = street.post(path + "/review", json={"decision": "change"})
    assert response.status_code == 422
    assert {r["code"] for r in response.json["details"]["reasons"]} == {"value_required",
                                                                       "reason_required"}
    body = street.post(path + "/review", json={"decision": "change", "value": "B",
                                               "reason": "通道有堆物"}).json
    assert (body["self_value"], body["reviewed_value"]) == ("A", "B")


def test_veto_events_staff_only_and_checked(api, world, org, db):
    path = f"/api/v1/communities/{org.community.id}/veto-events"
    committee = _as(api, "committee", "XH-TP-R01")
    assert committee.post(path, json={"kind": "major_crime",
                                      "occurred_on": "2026-03-01"}).status_code == 403
    street = _as(api, "street", "XH-TP")
    assert street.post(path, json={"kind": "arson", "occurred_on": "2026-03-01"}
                       ).status_code == 422
    assert street.post(path, json={"kind": "major_crime", "occurred_on": "2026-12-01"}
                       ).status_code == 422  # in the future
    assert db.session.execute(db.select(VetoEvent)).first() is None
    assert street.post(path, json={"kind": "major_crime", "occurred_on": "2026-03-01",
                                   "note": "入室抢劫案"}).status_code == 201
    assert len(committee.get(path).json) == 1
    make_member(org.community, openid="m2")
    assert api.as_resident("m2").get(path).status_code == 403


def test_eligibility_lists_every_reason_with_dates(api, world, org, db):
    street = _as(api, "street", "XH-TP")
    street.post(f"/api/v1/communities/{org.community.id}/veto-events",
                json={"kind": "mass_incident", "occurred_on": "2026-03-01"})
    body = street.get(f"/api/v1/communities/{org.community.id}/eligibility").json
    assert body["eligible"] is False
    codes = {r["code"]: r for r in body["reasons"]}
    assert codes["veto_event"]["eligible_from"] == "2027-03-02"
    assert "not_year_one" in codes and "not_self_assessed" in codes
    assert street.get(f"/api/v1/communities/{org.community.id}/eligibility?on=soon"
                      ).status_code == 422
    assert _as(api, "street", "JA-CJ").get(
        f"/api/v1/communities/{org.community.id}/eligibility").status_code == 404


def test_stage_moves_by_the_right_level_and_in_order(api, world, org):
    path = f"/api/v1/communities/{org.community.id}/stage"
    committee = _as(api, "committee", "XH-TP-R01")
    assert committee.post(path, json={"action": "fly"}).status_code == 422
    assert committee.post(path, json={"action": "consult"}).status_code == 403
    assert _as(api, "city", "SH").post(path, json={"action": "consult"}).status_code == 409
    # 第十一条（一）: the committee prepares the values, the street assesses and submits.
    assert committee.post(path, json={"action": "self_assess"}).status_code == 403
    street = _as(api, "street", "XH-TP")
    response = street.post(path, json={"action": "self_assess"})
    assert response.status_code == 422
    assert response.json["details"]["reasons"][0]["indicators"] == ["S7.1", "S5.1"]
    for code in ("S7.1", "S5.1"):
        committee.put(f"/api/v1/communities/{org.community.id}/entries/{code}",
                      json={"value": "A"})
        street.post(f"/api/v1/communities/{org.community.id}/entries/{code}/review",
                    json={"decision": "agree"})
    response = street.post(path, json={"action": "self_assess"})
    assert response.status_code == 200 and response.json["stage"] == "self_assessed"
    # 2026 is year 2 of 2025-2027: no application.
    response = street.post(path, json={"action": "apply"})
    assert response.status_code == 422
    assert "not_year_one" in [r["code"] for r in response.json["details"]["reasons"]]


def test_cycles_are_configured_by_the_city(api, world, org):
    city = _as(api, "city", "SH")
    assert _as(api, "district", "XH").post("/api/v1/cycles", json={"start_year": 2028}
                                           ).status_code == 403
    assert city.post("/api/v1/cycles", json={"start_year": "2028"}).status_code == 422
    assert city.post("/api/v1/cycles", json={"start_year": 2026}).status_code == 409
    created = city.post("/api/v1/cycles", json={"start_year": 2028})
    assert created.status_code == 201 and created.json["end_year"] == 2030
    quotas = city.put(f"/api/v1/cycles/{created.json['id']}/quotas",
                      json={"quotas": [{"district_id": org.district.id, "quota": 3}]})
    assert quotas.json["quotas"] == [{"district_id": org.district.id, "quota": 3}]
    assert city.put(f"/api/v1/cycles/{created.json['id']}/quotas",
                    json={"quotas": [{"district_id": org.street.id, "quota": 3}]}
                    ).status_code == 422


def test_selection_endpoint_rights_and_bad_input(api, world, org):
    cycle_id = world["cycle"].id
    district = _as(api, "district", "XH")
    assert _as(api, "street", "XH-TP").post(f"/api/v1/cycles/{cycle_id}/selection",
                                           json={"community_ids": []}).status_code == 403
    assert district.post(f"/api/v1/cycles/{cycle_id}/selection",
                         json={"community_ids": "all"}).status_code == 422
    response = district.post(f"/api/v1/cycles/{cycle_id}/selection",
                             json={"community_ids": [org.community.id]})
    assert response.status_code == 422
    assert response.json["details"]["reasons"][0]["code"] == "not_an_applicant"
    assert district.get(f"/api/v1/cycles/{cycle_id}/candidates").json["quota"] == 1


def test_status_for_a_member_cached_after_the_first_call(api, world, org, db, record):
    from server.services.scoring import compute
    compute.recompute([org.community.id], "test")
    make_member(org.community, openid="resident-status")
    resident = api.as_resident("resident-status")
    path = f"/api/v1/communities/{org.community.id}/status"
    first = resident.get(path)
    assert first.status_code == 200
    record("community_status", first)
    assert first.json["stage"]["label"] == "创建中" and "veto" not in first.get_data(as_text=True)
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        second = resident.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert second.json == first.json
    # Only the token and the membership are read; nothing the status is built from.
    assert not [s for s in statements if "score_snapshots" in s or "reports" in s]


def test_status_of_another_community_is_404_for_a_resident(api, world, org):
    make_member(org.community, openid="resident-x")
    resident = api.as_resident("resident-x")
    assert resident.get(f"/api/v1/communities/{org.far_community.id}/status").status_code == 404
    assert _as(api, "committee", "JA-CJ-R01").get(
        f"/api/v1/communities/{org.community.id}/status").status_code == 404


def test_a_recompute_drops_the_cached_status(api, world, org, db):
    make_member(org.community, openid="resident-y")
    resident = api.as_resident("resident-y")
    path = f"/api/v1/communities/{org.community.id}/status"
    assert resident.get(path).json["score"] is None
    request_recompute(org.community.id, "survey_closed")
    db.session.commit()
    work()
    assert resident.get(path).json["score"]["satisfaction"]["max_points"] == 40.0
    assert db.session.execute(db.select(ScoreSnapshot.reason)).scalar_one() == "survey_closed"


def test_request_recompute_writes_an_outbox_row_for_the_scoring_queue(app, db, org):
    request_recompute(org.community.id, "report_closed")
    db.session.commit()
    row = db.session.execute(db.select(OutboxMessage)).scalar_one()
    assert outbox.KINDS[row.kind][0] == "scoring"
    assert row.payload == {"community_ids": [org.community.id], "reason": "report_closed"}


def test_entries_list_rights_and_review_by_the_committee_refused(api, world, org):
    path = f"/api/v1/communities/{org.community.id}/entries"
    committee = _as(api, "committee", "XH-TP-R01")
    committee.put(path + "/S5.1", json={"value": "B"})
    assert [e["indicator_code"] for e in committee.get(path).json] == ["S5.1"]
    assert _as(api, "committee", "JA-CJ-R01").get(path).status_code == 404
    make_member(org.community, openid="m3")
    assert api.as_resident("m3").get(path).status_code == 403
    assert committee.post(path + "/S5.1/review", json={"decision": "agree"}).status_code == 403
    assert committee.put(path + "/S4.Q", json={"value": 90}).status_code == 409  # computed


def test_cycle_reads_and_quota_rights(api, world, org):
    cycle_id = world["cycle"].id
    make_member(org.community, openid="m4")
    assert api.as_resident("m4").get("/api/v1/cycles").status_code == 403
    assert len(_as(api, "street", "XH-TP").get("/api/v1/cycles").json) == 1
    assert _as(api, "district", "XH").put(
        f"/api/v1/cycles/{cycle_id}/quotas",
        json={"quotas": [{"district_id": org.district.id, "quota": 9}]}).status_code == 403
    assert _as(api, "street", "XH-TP", "s2").get(
        f"/api/v1/cycles/{cycle_id}/candidates").status_code == 403
    city = _as(api, "city", "SH")
    assert city.get(f"/api/v1/cycles/{cycle_id}/candidates").status_code == 422
    assert city.get(f"/api/v1/cycles/{cycle_id}/candidates?district_id={org.district.id}"
                    ).json["quota"] == 1
