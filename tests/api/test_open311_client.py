"""Open311 GeoReport v2 driven by a real client from PyPI (civicbot's Open311Client, pinned in
requirements-dev.txt) over HTTP against the app served on 127.0.0.1 in a thread."""
import json

import pytest
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import CONFIRM_TOKEN, Open311Client
from civicbot.registry import Endpoint

from server.extensions import db as _db
from tests.builders import make_staff
from tests.live_server import live_server  # noqa: F401 (fixture)
from tests.reports_helpers import ReportWorld


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def client_for(base_url, keyed=True):
    # keyed=False lets the client send a POST without a key, to see the server refuse it.
    endpoint = Endpoint(id="shanghai", name="上海文明小区", base_url=f"{base_url}/open311/v2",
                        write=True, api_key_required_for_write=keyed)
    transport = HttpTransport(rate_limiter=RateLimiter(min_interval=0))
    return Open311Client(endpoint, transport=transport, jurisdiction_id="XH")


def issue_key(api):
    city = api.as_staff(make_staff("city", "SH"))
    response = city.post("/api/v1/open311/keys", json={"name": "徐汇区12345工单系统"})
    assert response.status_code == 201, response.json
    return response.json["api_key"]


def test_a_partner_files_a_request_and_follows_it_until_the_committee_resolves_it(
        world, live_server, api):
    key = issue_key(api)
    client = client_for(live_server)

    services = {s["service_code"]: s for s in client.list_services()}
    assert services["fire_lane"]["group"].startswith("S5")
    assert "emergency" not in services
    definition = client.get_service_definition("fire_lane")
    assert [a["code"] for a in definition["attributes"]] == ["building"]

    sent = client.create_request("fire_lane", dry_run=False, confirm=CONFIRM_TOKEN, api_key=key,
                                 validate_remote=True, address_id="XH-TP-001",
                                 description="3号楼消防通道被电动车堵塞",
                                 attributes={"building": "3号楼"})
    filed = sent.response[0]
    request_id, token = filed["service_request_id"], filed["token"]
    assert client.get_token(token)[0]["service_request_id"] == request_id

    first = client.get_request(request_id)
    assert first["status"] == "open" and first["service_code"] == "fire_lane"
    assert first["address_id"] == "XH-TP-001" and first["expected_datetime"]
    assert first["description"] == "3号楼消防通道被电动车堵塞"

    world.to_status(int(request_id), "resolved")

    resolved = client.get_request(request_id)
    assert resolved["status"] == "closed"
    assert "已清理" in resolved["status_notes"]
    assert resolved["expected_datetime"] is None
    listed = client.list_requests(status="closed", service_request_ids=[request_id])
    assert [r["service_request_id"] for r in listed] == [request_id]


def test_a_request_without_a_key_is_refused_in_open311_error_format(world, live_server):
    client = client_for(live_server, keyed=False)
    with pytest.raises(HttpError) as refused:
        client.create_request("fire_lane", dry_run=False, confirm=CONFIRM_TOKEN,
                              address_id="XH-TP-001", description="消防通道堵塞",
                              attributes={"building": "3号楼"})
    assert refused.value.status == 403
    errors = json.loads(refused.value.body)
    assert errors[0]["code"] == 403 and "api_key" in errors[0]["description"]
    assert _db.session.execute(_db.text("SELECT count(*) FROM reports")).scalar_one() == 0
