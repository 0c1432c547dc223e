"""Open311 GeoReport v2 through the test client: XML, filters and paging, privacy, the key
operations, and bad input and wrong rights for every operation."""
from datetime import datetime, timezone

import pytest
import time_machine
import xmltodict

from server.extensions import db
from server.models import AuditLog, ContentCheck, PartnerSystem, Report
from server.services.open311 import keys
from tests.builders import make_staff
from tests.reports_helpers import ReportWorld

BASE = "/open311/v2"


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


@pytest.fixture
def key(world):
    _, key = keys.issue("徐汇区12345工单系统")
    db.session.commit()
    return key


def post(client, key, **form):
    body = {"service_code": "fire_lane", "address_id": "XH-TP-001", "description": "消防通道堵塞",
            "attribute[building]": "3号楼", **form}
    if key is not None:
        body["api_key"] = key
    return client.post(f"{BASE}/requests.json", data=body)


def error_of(response):
    assert isinstance(response.json, list), response.data
    (error,) = response.json
    assert error["code"] == response.status_code
    return error["description"]


# --- services and definitions -------------------------------------------------------------

def test_services_in_xml_carry_the_area_as_group(world, client):
    response = client.get(f"{BASE}/services.xml")
    assert response.status_code == 200 and response.mimetype == "text/xml"
    services = xmltodict.parse(response.data)["services"]["service"]
    fire = next(s for s in services if s["service_code"] == "fire_lane")
    assert fire["group"].startswith("S5") and fire["metadata"] == "true"


def test_service_definition_in_xml(world, client):
    response = client.get(f"{BASE}/services/waste_sorting.xml")
    definition = xmltodict.parse(response.data)["service_definition"]
    assert definition["attributes"]["attribute"]["code"] == "building"


def test_unknown_service_definition_is_404_in_xml_error_format(world, client):
    response = client.get(f"{BASE}/services/no_such_thing.xml")
    assert response.status_code == 404
    assert xmltodict.parse(response.data)["errors"]["error"]["code"] == "404"


def test_emergency_has_no_service_definition(world, client):
    assert client.get(f"{BASE}/services/emergency.json").status_code == 404


def test_unknown_jurisdiction_is_404(world, client):
    response = client.get(f"{BASE}/services.json?jurisdiction_id=PD")
    assert response.status_code == 404 and "jurisdiction_id" in error_of(response)
    assert client.get(f"{BASE}/services/fire_lane.json?jurisdiction_id=XH-TP").status_code == 404


def test_discovery_lists_both_formats(client):
    response = client.get(f"{BASE}/discovery.json")
    assert response.json["endpoints"][0]["formats"] == ["application/json", "text/xml"]
    xml = xmltodict.parse(client.get(f"{BASE}/discovery.xml").data)["discovery"]
    assert xml["endpoints"]["endpoint"]["formats"]["format"] == ["application/json", "text/xml"]


def test_an_unknown_format_or_path_is_404_in_open311_format(client):
    assert error_of(client.get(f"{BASE}/services.csv"))
    assert client.get(f"{BASE}/services.csv").status_code == 404
    assert client.get(f"{BASE}/nothing.xml").status_code == 404


# --- posting ------------------------------------------------------------------------------

def test_post_files_a_report_without_the_callers_personal_fields(world, client, key):
    response = post(client, key, email="a@b.cn", first_name="张", last_name="三",
                    phone="13800000000", account_id="acc-1", lat="31.2", long="121.45")
    assert response.status_code == 201
    report = db.session.get(Report, int(response.json[0]["service_request_id"]))
    assert report.partner.name == "徐汇区12345工单系统" and report.reporter_id is None
    assert report.building == "3号楼" and report.resolve_due_at is not None
    assert report.events[0].actor_kind == "partner"
    stored = " ".join(str(v) for v in (report.description, report.building, report.events[0].data))
    assert "13800000000" not in stored and "a@b.cn" not in stored and "张" not in stored


def test_post_in_xml_answers_with_id_and_token(world, client, key):
    response = client.post(f"{BASE}/requests.xml", data={
        "service_code": "clutter", "address_id": "xh-tp-001", "description": "楼道堆物",
        "address_string": "2号楼", "api_key": key})
    assert response.status_code == 201
    filed = xmltodict.parse(response.data)["service_requests"]["request"]
    assert filed["service_request_id"] and filed["token"]


@pytest.mark.parametrize("form, words", [
    ({"service_code": "no_such"}, "service_code"),
    ({"service_code": "emergency"}, "service_code"),
    ({"address_id": ""}, "address_id"),
    ({"address_id": "NOPE"}, "address_id"),
    ({"jurisdiction_id": "JA"}, "address_id"),
    ({"lat": "31.2"}, "lat"),
    ({"lat": "abc", "long": "121"}, "lat"),
    ({"lat": "nan", "long": "121"}, "lat"),
    ({"lat": "31", "long": "200"}, "long"),
    ({"description": ""}, "description"),
    ({"description": "长" * 501}, "description"),
    ({"attribute[building]": "", "address_string": ""}, "楼号"),
    ({"attribute[building]": "楼" * 41}, "楼号"),
    ({"description": "a\x00b"}, "字符"),
])
def test_post_bad_input_is_refused_and_writes_nothing(world, client, key, form, words):
    response = post(client, key, **form)
    assert response.status_code in (400, 404), response.json
    assert words in error_of(response)
    assert db.session.execute(db.select(db.func.count(Report.id))).scalar_one() == 0


def test_post_with_an_invalid_or_revoked_key_is_403(world, client, key, api):
    assert post(client, "wrong-key").status_code == 403
    partner = db.session.execute(db.select(PartnerSystem)).scalar_one()
    city = api.as_staff(make_staff("city", "SH"))
    assert city.post(f"/api/v1/open311/keys/{partner.id}/revoke").json["active"] is False
    response = post(client, key)
    assert response.status_code == 403 and "api_key" in error_of(response)


# --- reading ------------------------------------------------------------------------------

def test_a_private_report_is_seen_only_by_the_partner_that_filed_it(world, client, key):
    filed = post(client, key, service_code="noise").json[0]["service_request_id"]
    path = f"{BASE}/requests/{filed}.json"
    assert client.get(path).status_code == 404
    assert client.get(f"{path}?api_key={key}").json[0]["service_code"] == "noise"
    _, other = keys.issue("静安区数字城管")
    db.session.commit()
    assert client.get(f"{path}?api_key={other}").status_code == 404


def test_residents_reports_show_no_personal_data_and_text_only_after_the_check(
        world, client, db):
    world.file(code="clutter")
    private = world.file(code="clutter", public=False)
    listed = client.get(f"{BASE}/requests.json").json
    assert [r["service_request_id"] for r in listed] != [] and str(private["id"]) not in [
        r["service_request_id"] for r in listed]
    body = client.get(f"{BASE}/requests.json").data.decode()
    for secret in ("reporter", "neighbour", "openid", "101"):
        assert secret not in body
    assert listed[0]["description"] == "楼道堆放杂物"
    check = db.session.get(Report, int(listed[0]["service_request_id"])).content_check
    check.status = "pending"
    db.session.commit()
    assert client.get(f"{BASE}/requests.json").json[0]["description"] == ""


def test_rejected_reports_are_not_listed(world, client):
    report = world.file()
    world.act(report["id"], "reject", note="不属实")
    assert client.get(f"{BASE}/requests/{report['id']}.json").status_code == 404


def test_filters_and_paging(world, client):
    first = world.file(code="clutter")
    second = world.file(code="parking")
    world.to_status(second["id"], "resolved")
    by_code = client.get(f"{BASE}/requests.json?service_code=parking").json
    assert [r["service_request_id"] for r in by_code] == [str(second["id"])]
    opened = client.get(f"{BASE}/requests.json?status=open").json
    assert [r["service_request_id"] for r in opened] == [str(first["id"])]
    paged = client.get(f"{BASE}/requests.json?page_size=1&page=2")
    assert paged.headers["X-Total-Count"] == "2" and len(paged.json) == 1
    assert client.get(f"{BASE}/requests.json?jurisdiction_id=JA").json == []
    assert len(client.get(f"{BASE}/requests.json?jurisdiction_id=XH").json) == 2


def test_dates_default_to_the_last_90_days(world, client):
    with time_machine.travel(datetime(2026, 6, 1, 2, tzinfo=timezone.utc), tick=False):
        old = world.file()
    recent = world.file()
    listed = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json]
    assert listed == [str(recent["id"])]
    window = client.get(f"{BASE}/requests.json?start_date=2026-05-31T00:00:00Z"
                        "&end_date=2026-06-02T00:00:00%2B08:00").json
    assert [r["service_request_id"] for r in window] == [str(old["id"])]


@pytest.mark.parametrize("query", [
    "status=pending", "service_code=a;b", "start_date=yesterday",
    "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
    "start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z",
    "page_size=0", "page_size=1000", "page=x", "service_request_id=1,abc",
    "service_request_id=" + ",".join(str(i) for i in range(1, 102)), "jurisdiction_id=ZZ",
    "api_key=wrong", "q=%00",
])
def test_list_bad_input_is_refused_in_open311_format(world, client, query):
    response = client.get(f"{BASE}/requests.json?{query}")
    assert response.status_code in (400, 403, 404), response.data
    assert error_of(response)


def test_request_by_id_bad_input(world, client):
    assert client.get(f"{BASE}/requests/abc.json").status_code == 400
    assert client.get(f"{BASE}/requests/999.json").status_code == 404
    assert client.get(f"{BASE}/requests/1.json?api_key=wrong").status_code == 403


def test_unknown_token_is_404(world, client):
    response = client.get(f"{BASE}/tokens/not-a-token.xml")
    assert response.status_code == 404
    assert xmltodict.parse(response.data)["errors"]["error"]["code"] == "404"


def test_request_in_xml(world, client):
    report = world.file()
    response = client.get(f"{BASE}/requests/{report['id']}.xml")
    request = xmltodict.parse(response.data)["service_requests"]["request"]
    assert request["status"] == "open" and request["address_id"] == "XH-TP-001"


# --- keys: city only ----------------------------------------------------------------------

def test_only_the_city_office_issues_keys_and_only_the_hash_is_kept(world, api, db):
    district = api.as_staff(make_staff("district", "XH"))
    assert district.post("/api/v1/open311/keys", json={"name": "x"}).status_code == 403
    assert world.reporter.post("/api/v1/open311/keys", json={"name": "x"}).status_code == 403
    assert api.post("/api/v1/open311/keys", json={"name": "x"}).status_code == 401
    assert district.get("/api/v1/open311/keys").status_code == 403
    assert district.post("/api/v1/open311/keys/1/revoke").status_code == 403
    city = api.as_staff(make_staff("city", "SH"))
    issued = city.post("/api/v1/open311/keys", json={"name": "12345"}).json
    partner = db.session.get(PartnerSystem, issued["id"])
    assert issued["api_key"] not in (partner.key_hash, partner.key_prefix)
    assert "api_key" not in city.get("/api/v1/open311/keys").json["items"][0]
    assert db.session.execute(db.select(AuditLog).filter_by(action="open311.issue_key")).scalar()


def test_key_operations_bad_input(world, api):
    city = api.as_staff(make_staff("city", "SH"))
    assert city.post("/api/v1/open311/keys", json={}).status_code == 422
    assert city.post("/api/v1/open311/keys", json={"name": "x" * 61}).status_code == 422
    assert city.post("/api/v1/open311/keys", json={"name": "12345"}).status_code == 201
    assert city.post("/api/v1/open311/keys", json={"name": "12345"}).status_code == 409
    assert city.post("/api/v1/open311/keys/999/revoke").status_code == 404
    assert city.get("/api/v1/open311/keys?per_page=0").status_code == 422


def test_cli_issues_a_key_that_works(world, app, client):
    result = app.test_cli_runner().invoke(args=["open311", "issue-key", "华泾镇数字城管"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert post(client, key).status_code == 201
    again = app.test_cli_runner().invoke(args=["open311", "issue-key", "华泾镇数字城管"])
    assert again.exit_code != 0
