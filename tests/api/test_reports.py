"""Filing, duplicates and "me too", lists and visibility, the public board."""
import pytest

from server.models import Report, ReportEvent
from tests.builders import make_resident
from tests.reports_helpers import ReportWorld, upload


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def count(db, model):
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def test_categories_are_listed_with_area_and_limits(world, record):
    response = record("report_categories", world.reporter.get("/api/v1/reports/categories"))
    items = {c["code"]: c for c in response.json["items"]}
    assert 15 <= len(items) <= 20
    assert items["fire_lane"]["area"] == "S5" and items["fire_lane"]["resolve_days"] == 2
    assert items["emergency"]["emergency"] is True and "110" in items["emergency"]["hint"]


def test_categories_need_a_login(client):
    assert client.get("/api/v1/reports/categories").status_code == 401


def test_resident_files_a_report_with_photos(world, db, record):
    photo_id = upload(world.reporter).json["id"]
    response = record("report_create", world.reporter.post("/api/v1/reports", json={
        "category_id": world.categories["clutter"].id, "description": "2号楼楼道堆放旧家具",
        "building": "2号楼", "photo_ids": [photo_id]}))
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "submitted" and body["mine"] is True
    assert [p["id"] for p in body["photos"]] == [photo_id]
    assert body["accept_due_at"] and body["resolve_due_at"]
    assert [e["action"] for e in body["timeline"]] == ["submit"]
    assert "reporter" not in body and "reporter_id" not in body


def test_emergency_category_tells_the_resident_to_call_and_files_nothing(world, db):
    response = world.reporter.post("/api/v1/reports", json={
        "category_id": world.categories["emergency"].id, "description": "着火了",
        "building": "1"})
    assert response.status_code == 422 and response.json["error"] == "emergency_call_110_119"
    assert count(db, Report) == 0


def test_a_report_needs_a_building_or_a_map_point(world, db):
    response = world.reporter.post("/api/v1/reports", json={
        "category_id": world.categories["clutter"].id, "description": "x"})
    assert response.status_code == 422 and count(db, Report) == 0


def test_report_with_unknown_field_is_422(world):
    response = world.reporter.post("/api/v1/reports", json={
        "category_id": world.categories["clutter"].id, "description": "x", "building": "1",
        "reporter_id": 1})
    assert response.status_code == 422


def test_more_than_nine_photos_is_422(world, db):
    response = world.reporter.post("/api/v1/reports", json={
        "category_id": world.categories["clutter"].id, "description": "x", "building": "1",
        "photo_ids": list(range(1, 11))})
    assert response.status_code == 422


def test_someone_elses_photo_cannot_be_attached(world, db):
    photo_id = upload(world.neighbour).json["id"]
    response = world.reporter.post("/api/v1/reports", json={
        "category_id": world.categories["clutter"].id, "description": "x", "building": "1",
        "photo_ids": [photo_id]})
    assert response.status_code == 422 and response.json["error"] == "photo_unavailable"
    assert count(db, Report) == 0


def test_resident_without_an_approved_membership_cannot_report(world, api, org):
    make_resident("stranger")
    response = api.as_resident("stranger").post("/api/v1/reports", json={
        "category_id": world.categories["clutter"].id, "description": "x", "building": "1"})
    assert response.status_code == 403 and response.json["error"] == "membership_required"


def test_staff_cannot_file_reports(world):
    response = world.committee.post("/api/v1/reports", json={
        "category_id": world.categories["clutter"].id, "description": "x", "building": "1"})
    assert response.status_code == 403


def test_never_public_category_stays_private(world):
    assert world.file(code="noise", public=True)["is_public"] is False


def test_similar_open_reports_at_the_same_building_are_offered(world, record):
    first = world.file(building="2号楼")
    world.file(code="parking", building="2号楼")  # another category
    world.file(building="9号楼")  # another building
    response = record("reports_similar", world.neighbour.get(
        f"/api/v1/reports/similar?category_id={world.categories['clutter'].id}&building=２号"))
    assert response.status_code == 200
    assert [r["id"] for r in response.json["items"]] == [first["id"]]


def test_similar_reports_within_100_metres_are_offered(world):
    near = world.file(building="", latitude=31.2100, longitude=121.4500)
    world.file(building="", latitude=31.2200, longitude=121.4500)  # ~1.1 km north
    response = world.neighbour.get(
        f"/api/v1/reports/similar?category_id={world.categories['clutter'].id}"
        "&latitude=31.2105&longitude=121.4504")
    assert [r["id"] for r in response.json["items"]] == [near["id"]]


def test_similar_does_not_offer_private_or_closed_reports(world):
    world.file(code="noise", building="3号楼", public=False)
    rejected = world.file(building="3号楼")
    world.act(rejected["id"], "reject", note="重复")
    response = world.neighbour.get(
        f"/api/v1/reports/similar?category_id={world.categories['noise'].id}&building=3")
    assert response.json["items"] == []
    response = world.neighbour.get(
        f"/api/v1/reports/similar?category_id={world.categories['clutter'].id}&building=3")
    assert response.json["items"] == []


def test_similar_needs_a_category(world):
    assert world.neighbour.get("/api/v1/reports/similar?building=1").status_code == 422


def test_similar_is_for_residents_only(world):
    assert world.committee.get("/api/v1/reports/similar?category_id=1").status_code == 403


def test_me_too_adds_support_once(world, db):
    report = world.file()
    first = world.neighbour.post(f"/api/v1/reports/{report['id']}/support")
    again = world.neighbour.post(f"/api/v1/reports/{report['id']}/support")
    assert first.status_code == again.status_code == 200
    assert again.json["support_count"] == 1 and again.json["supported"] is True


def test_reporter_cannot_support_their_own_report(world):
    report = world.file()
    assert world.reporter.post(f"/api/v1/reports/{report['id']}/support").status_code == 409


def test_residents_of_another_community_cannot_support(world):
    report = world.file()
    assert world.outsider.post(f"/api/v1/reports/{report['id']}/support").status_code == 404


def test_staff_cannot_support(world):
    report = world.file()
    assert world.committee.post(f"/api/v1/reports/{report['id']}/support").status_code == 403


def test_my_reports_list(world, record):
    mine = world.file()
    world.file(client=world.neighbour)
    response = record("reports_mine", world.reporter.get("/api/v1/reports?mine=true"))
    assert [r["id"] for r in response.json["items"]] == [mine["id"]]
    assert response.json["total"] == 1


def test_bad_list_filter_is_422(world):
    assert world.reporter.get("/api/v1/reports?status=lost").status_code == 422


def test_residents_see_public_reports_of_their_community_only(world):
    public = world.file()
    private = world.file(code="noise", public=False)
    neighbour_ids = [r["id"] for r in world.neighbour.get("/api/v1/reports").json["items"]]
    assert neighbour_ids == [public["id"]]
    assert world.outsider.get("/api/v1/reports").json["total"] == 0
    assert world.neighbour.get(f"/api/v1/reports/{private['id']}").status_code == 404
    assert world.outsider.get(f"/api/v1/reports/{public['id']}").status_code == 404


def test_text_waiting_for_its_check_is_not_shown_to_neighbours(api, org):
    world = ReportWorld(api, org, checks=True)
    report = world.file()
    assert report["content_status"] == "pending"
    assert world.neighbour.get(f"/api/v1/reports/{report['id']}").status_code == 404
    assert world.reporter.get(f"/api/v1/reports/{report['id']}").status_code == 200


def test_report_detail_has_the_timeline(world, record):
    report = world.file()
    world.to_status(report["id"], "in_progress")
    response = record("report_detail", world.reporter.get(f"/api/v1/reports/{report['id']}"))
    assert [e["action"] for e in response.json["timeline"]] == [
        "submit", "accept", "contact", "assign"]
    assert response.json["timeline"][1]["actor"] == "居委会"


def test_staff_see_reports_in_scope_only(world):
    report = world.file()
    assert world.street.get(f"/api/v1/reports/{report['id']}").status_code == 200
    assert world.district.get("/api/v1/reports").json["total"] == 1
    assert world.far_committee.get(f"/api/v1/reports/{report['id']}").status_code == 404
    assert world.far_committee.get("/api/v1/reports").json["total"] == 0


def test_board_shows_fixed_public_reports_without_names(world):
    report = world.file()
    world.to_status(report["id"], "resolved")
    world.reporter.post(f"/api/v1/reports/{report['id']}/rating", json={"rating": "satisfied"})
    world.file()  # still open: not on the board
    response = world.neighbour.get("/api/v1/reports/board")
    assert [r["id"] for r in response.json["items"]] == [report["id"]]
    item = response.json["items"][0]
    assert item["reply"] == "已清理" and len(item["photos"]) == 1
    assert not {"reporter", "reporter_id", "nickname", "mine"} & set(item)


def test_board_needs_a_community(world, api):
    make_resident("stranger")
    assert api.as_resident("stranger").get("/api/v1/reports/board").status_code == 403


def test_board_bad_page_is_422(world):
    assert world.neighbour.get("/api/v1/reports/board?page=0").status_code == 422


def test_timeline_is_append_only(world, db):
    world.file()
    event = db.session.execute(db.select(ReportEvent)).scalar_one()
    event.note = "rewritten"
    with pytest.raises(RuntimeError):
        db.session.commit()
    db.session.rollback()
