"""Volunteer supervisors and their sampled field-inspection checklists: the committee's
approval, the street's seeded draw (reproducible), grading with photos, and the volunteers'
source shown beside the official one on the field-inspection indicator."""
import random
from datetime import date

import pytest

from server.models import AuditLog, FieldInspection, InspectionItem
from tests import scoring_fixtures as fx
from tests.builders import make_member, make_staff
from tests.reports_helpers import upload

ROADS = ["建国西路", "永嘉路", "太原路", "岳阳路", "汾阳路", "东平路", "桃江路"]
BINS = ["1号垃圾箱房", "2号垃圾箱房", "3号垃圾箱房"]
FIRE_LANES = ["北侧消防通道", "南侧消防通道"]


@pytest.fixture
def world(app, db, org, api, calendar):
    calendar(date(2026, 11, 29))
    fw = fx.load(fx.SMALL)
    fx.make_cycle(2025, fw)
    make_member(org.community, openid="volunteer")
    make_member(org.community, openid="neighbour", room="102")
    make_member(org.far_community, openid="far")
    w = {"volunteer": api.as_resident("volunteer"), "neighbour": api.as_resident("neighbour"),
         "far": api.as_resident("far"),
         "committee": api.as_staff(make_staff("committee", "XH-TP-R01")),
         "street": api.as_staff(make_staff("street", "XH-TP")),
         "far_street": api.as_staff(make_staff("street", "JA-CJ"))}
    return w


def approved_volunteer(world, record=None):
    applied = world["volunteer"].post("/api/v1/volunteers")
    assert applied.status_code == 201 and applied.json["status"] == "pending"
    if record:
        record("volunteer_applied", applied)
    approved = world["committee"].post(f"/api/v1/volunteers/{applied.json['id']}/approve")
    assert approved.json["status"] == "approved"
    me = world["volunteer"].get("/api/v1/volunteers/me")
    if record:
        record("volunteer_me", me)
    return applied.json["id"]


def draw_body(org, volunteer_id, seed=20261129, **extra):
    return {"community_id": org.community.id, "volunteer_id": volunteer_id, "seed": seed,
            "groups": [{"kind": "road", "indicator_code": "S5.1", "population": ROADS, "size": 2},
                       {"kind": "fire_lane", "indicator_code": "S5.1",
                        "population": FIRE_LANES, "size": 1}], **extra}


def test_the_draw_is_reproducible_from_the_stored_seed_and_population(world, org, db):
    volunteer_id = approved_volunteer(world)
    drawn = world["street"].post("/api/v1/inspections", json=draw_body(org, volunteer_id))
    assert drawn.status_code == 201
    rng = random.Random(int(drawn.json["seed"]))
    expected = [p for g in drawn.json["groups"] for p in rng.sample(g["population"], g["size"])]
    assert [i["point"] for i in drawn.json["items"]] == expected
    assert drawn.json["groups"][0]["population"] == ROADS
    again = world["street"].post("/api/v1/inspections", json=draw_body(org, volunteer_id))
    assert [i["point"] for i in again.json["items"]] == expected
    audit = db.session.execute(db.select(AuditLog).filter_by(action="inspection.draw")).scalars()
    assert all(a.after["seed"] == "20261129" for a in audit)


def test_without_a_seed_one_is_drawn_and_recorded(world, org):
    volunteer_id = approved_volunteer(world)
    drawn = world["street"].post("/api/v1/inspections",
                                 json=draw_body(org, volunteer_id, seed=None)).json
    rng = random.Random(int(drawn["seed"]))
    assert [i["point"] for i in drawn["items"]] == [
        p for g in drawn["groups"] for p in rng.sample(g["population"], g["size"])]


def test_a_volunteer_completes_the_checklist_and_the_indicator_shows_both_sources(
        world, org, record):
    volunteer_id = approved_volunteer(world, record)
    assert world["committee"].put(f"/api/v1/communities/{org.community.id}/entries/S5.1",
                                  json={"value": "A", "note": "自评"}).status_code == 200
    drawn = world["street"].post("/api/v1/inspections", json=draw_body(org, volunteer_id)).json
    volunteer = world["volunteer"]
    record("inspections_mine", volunteer.get("/api/v1/inspections?status=assigned"))
    record("inspection_detail", volunteer.get(f"/api/v1/inspections/{drawn['id']}"))
    incomplete = volunteer.post(f"/api/v1/inspections/{drawn['id']}/submit")
    assert incomplete.status_code == 422 and len(incomplete.json["details"]["points"]) == 3
    for item, grade in zip(drawn["items"], ["A", "B", "C"]):
        photo = record("inspection_upload", upload(volunteer)).json["id"]
        graded = volunteer.put(f"/api/v1/inspections/{drawn['id']}/items/{item['id']}",
                               json={"grade": grade, "photo_id": photo, "note": ""})
        assert graded.status_code == 200
        record("inspection_graded", graded)
    submitted = record("inspection_submitted",
                       volunteer.post(f"/api/v1/inspections/{drawn['id']}/submit"))
    assert submitted.json["status"] == "submitted"

    body = world["street"].get(f"/api/v1/communities/{org.community.id}/field-inspection").json
    (indicator,) = body["indicators"]
    official, volunteers = indicator["sources"]
    assert indicator["code"] == "S5.1"
    assert official["source"] == "official" and official["grade"] == "A"
    assert volunteers["source"] == "volunteer" and volunteers["grade"] == "B"
    assert volunteers["counts"] == {"A": 1, "B": 1, "C": 1} and volunteers["inspections"] == 1
    # The score still comes from the official entry alone.
    scores = world["street"].get(f"/api/v1/communities/{org.community.id}/scores").json
    s51 = [i for i in (scores["current"] or {"items": []})["items"] if i["code"] == "S5.1"]
    assert all(i.get("grade") in (None, "A") for i in s51)


def test_a_draft_checklist_does_not_count_for_the_volunteer_source(world, org):
    volunteer_id = approved_volunteer(world)
    drawn = world["street"].post("/api/v1/inspections", json=draw_body(org, volunteer_id)).json
    item = drawn["items"][0]
    photo = upload(world["volunteer"]).json["id"]
    world["volunteer"].put(f"/api/v1/inspections/{drawn['id']}/items/{item['id']}",
                           json={"grade": "C", "photo_id": photo})
    body = world["committee"].get(f"/api/v1/communities/{org.community.id}/field-inspection")
    volunteers = body.json["indicators"][0]["sources"][1]
    assert volunteers["status"] == "no_data" and volunteers["grade"] is None


# --- volunteering: rights and bad input ---------------------------------------------------

def test_volunteering_rights(world, org, api):
    assert api.post("/api/v1/volunteers").status_code == 401
    assert world["street"].post("/api/v1/volunteers").status_code == 403
    outsider = api.as_resident("not-a-member")
    assert outsider.post("/api/v1/volunteers").status_code == 403
    applied = world["volunteer"].post("/api/v1/volunteers").json
    assert world["volunteer"].post("/api/v1/volunteers").status_code == 409
    assert world["volunteer"].get("/api/v1/volunteers").status_code == 403
    assert world["volunteer"].post(f"/api/v1/volunteers/{applied['id']}/approve").status_code \
        == 403
    assert world["street"].post(f"/api/v1/volunteers/{applied['id']}/approve").status_code == 403
    far = api.as_staff(make_staff("committee", "JA-CJ-R01"))
    assert far.post(f"/api/v1/volunteers/{applied['id']}/approve").status_code == 404
    assert far.get("/api/v1/volunteers").json["total"] == 0
    assert world["committee"].get("/api/v1/volunteers?status=pending").json["total"] == 1


def test_volunteering_bad_input(world):
    applied = world["volunteer"].post("/api/v1/volunteers").json
    committee = world["committee"]
    assert committee.get("/api/v1/volunteers?status=maybe").status_code == 422
    assert committee.post(f"/api/v1/volunteers/{applied['id']}/reject",
                          json={"reason": "x" * 201}).status_code == 422
    assert committee.post(f"/api/v1/volunteers/{applied['id']}/reject",
                          json={"why": "x"}).status_code == 422
    assert committee.post("/api/v1/volunteers/999/approve").status_code == 404
    rejected = committee.post(f"/api/v1/volunteers/{applied['id']}/reject",
                              json={"reason": "请先参加培训"})
    assert rejected.json["status"] == "rejected"
    assert committee.post(f"/api/v1/volunteers/{applied['id']}/approve").status_code == 409
    assert world["volunteer"].get("/api/v1/volunteers/me").json == {"volunteer": None}


# --- drawing: rights and bad input --------------------------------------------------------

def test_only_the_street_in_scope_draws(world, org):
    volunteer_id = approved_volunteer(world)
    body = draw_body(org, volunteer_id)
    assert world["committee"].post("/api/v1/inspections", json=body).status_code == 403
    assert world["volunteer"].post("/api/v1/inspections", json=body).status_code == 403
    assert world["far_street"].post("/api/v1/inspections", json=body).status_code == 404


@pytest.mark.parametrize("change", [
    {"groups": []},
    {"groups": [{"kind": "tree", "indicator_code": "S5.1", "population": ROADS, "size": 1}]},
    {"groups": [{"kind": "road", "indicator_code": "S7.1", "population": ROADS, "size": 1}]},
    {"groups": [{"kind": "road", "indicator_code": "S5.1", "population": ROADS, "size": 8}]},
    {"groups": [{"kind": "road", "indicator_code": "S5.1", "population": ["a", "a"],
                 "size": 1}]},
    {"groups": [{"kind": "road", "indicator_code": "S5.1", "population": [" "], "size": 1}]},
    {"groups": [{"kind": "bin", "indicator_code": "S5.1", "population": BINS, "size": 0}]},
    {"seed": -1}, {"seed": "abc"}, {"volunteer_id": 999}, {"community_id": "x"},
])
def test_draw_bad_input_is_422_and_writes_nothing(world, org, db, change):
    volunteer_id = approved_volunteer(world)
    response = world["street"].post("/api/v1/inspections",
                                    json={**draw_body(org, volunteer_id), **change})
    assert response.status_code == 422, response.json
    assert db.session.execute(db.select(db.func.count(FieldInspection.id))).scalar_one() == 0
    assert db.session.execute(db.select(db.func.count(InspectionItem.id))).scalar_one() == 0


def test_a_pending_volunteer_cannot_be_assigned(world, org):
    applied = world["volunteer"].post("/api/v1/volunteers").json
    response = world["street"].post("/api/v1/inspections", json=draw_body(org, applied["id"]))
    assert response.status_code == 422


# --- grading: rights and bad input --------------------------------------------------------

def test_grading_rights_and_bad_input(world, org):
    volunteer_id = approved_volunteer(world)
    drawn = world["street"].post("/api/v1/inspections", json=draw_body(org, volunteer_id)).json
    item = drawn["items"][0]
    path = f"/api/v1/inspections/{drawn['id']}/items/{item['id']}"
    volunteer = world["volunteer"]
    photo = upload(volunteer).json["id"]
    neighbours_photo = upload(world["neighbour"]).json["id"]
    assert world["neighbour"].get(f"/api/v1/inspections/{drawn['id']}").status_code == 404
    assert world["neighbour"].put(path, json={"grade": "A", "photo_id": photo}).status_code \
        == 404
    assert world["street"].put(path, json={"grade": "A", "photo_id": photo}).status_code == 403
    assert world["far_street"].get(f"/api/v1/inspections/{drawn['id']}").status_code == 404
    assert volunteer.put(path, json={"grade": "D", "photo_id": photo}).status_code == 422
    assert volunteer.put(path, json={"grade": "A"}).status_code == 422
    assert volunteer.put(path, json={"grade": "A", "photo_id": neighbours_photo}
                         ).status_code == 422
    assert volunteer.put(f"/api/v1/inspections/{drawn['id']}/items/999999",
                         json={"grade": "A", "photo_id": photo}).status_code == 404
    assert volunteer.put(path, json={"grade": "A", "photo_id": photo}).status_code == 200
    other = f"/api/v1/inspections/{drawn['id']}/items/{drawn['items'][1]['id']}"
    assert volunteer.put(other, json={"grade": "B", "photo_id": photo}).status_code == 422
    assert volunteer.get("/api/v1/inspections?status=done").status_code == 422
    assert world["street"].get("/api/v1/inspections").json["total"] == 1
    assert world["far_street"].get("/api/v1/inspections").json["total"] == 0


def test_a_submitted_checklist_cannot_change(world, org):
    volunteer_id = approved_volunteer(world)
    drawn = world["street"].post("/api/v1/inspections", json=draw_body(org, volunteer_id)).json
    volunteer = world["volunteer"]
    for item in drawn["items"]:
        volunteer.put(f"/api/v1/inspections/{drawn['id']}/items/{item['id']}",
                      json={"grade": "A", "photo_id": upload(volunteer).json["id"]})
    assert volunteer.post(f"/api/v1/inspections/{drawn['id']}/submit").status_code == 200
    assert volunteer.post(f"/api/v1/inspections/{drawn['id']}/submit").status_code == 409
    item = drawn["items"][0]
    assert volunteer.put(f"/api/v1/inspections/{drawn['id']}/items/{item['id']}",
                         json={"grade": "C", "photo_id": upload(volunteer).json["id"]}
                         ).status_code == 409


def test_field_inspection_view_rights(world, org, api):
    path = f"/api/v1/communities/{org.community.id}/field-inspection"
    assert world["volunteer"].get(path).status_code == 403
    assert world["far_street"].get(path).status_code == 404
    assert api.get(path).status_code == 401
    assert world["street"].get("/api/v1/communities/999999/field-inspection").status_code == 404
