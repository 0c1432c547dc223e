"""Every error has the one JSON shape and the right status, and a bad request writes nothing."""
import pytest

from server.models import Membership
from tests.builders import make_staff

SHAPE = {"error", "message", "details"}


def assert_error(response, status, slug=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json and set(response.json) == SHAPE
    assert response.json["message"]  # a sentence for a person
    if slug:
        assert response.json["error"] == slug


def test_unknown_path_is_404_json(client):
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_wrong_method_is_405_json(client):
    response = client.put("/api/v1/me")
    assert_error(response, 405, "method_not_allowed")
    assert {"GET", "DELETE"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_malformed_json_is_400(client):
    response = client.post("/api/v1/auth/dev-login", data="{not json",
                           content_type="application/json")
    assert_error(response, 400, "malformed_json")


def test_non_json_body_is_415(client):
    response = client.post("/api/v1/auth/dev-login", data="openid=x",
                           content_type="application/x-www-form-urlencoded")
    assert_error(response, 415, "unsupported_media_type")


def test_wrong_type_is_422_with_the_field(client):
    response = client.post("/api/v1/auth/dev-login", json={"openid": 12})
    assert_error(response, 422, "invalid")
    assert "openid" in response.json["details"]["fields"]


def test_unknown_field_is_422(client):
    response = client.post("/api/v1/auth/dev-login", json={"openid": "a", "admin": True})
    assert_error(response, 422)
    assert "admin" in response.json["details"]["fields"]


def test_json_that_is_not_an_object_is_rejected(client):
    response = client.post("/api/v1/auth/dev-login", json=["openid"])
    assert response.status_code in (400, 422)
    assert set(response.json) == SHAPE


def test_over_long_string_is_422_and_writes_nothing(api, org, db):
    resident = api.as_resident("r1")
    response = resident.post("/api/v1/memberships", json={
        "community_id": org.community.id, "building": "1" * 41, "room": "101"})
    assert_error(response, 422)
    assert "building" in response.json["details"]["fields"]
    assert db.session.execute(db.select(db.func.count(Membership.id))).scalar_one() == 0


def test_too_large_body_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/auth/dev-login", data="x" * 4096,
                           content_type="application/json")
    assert_error(response, 413, "payload_too_large")


def test_unexpected_exception_is_500_json_without_internals(app, client, monkeypatch):
    from server.services import auth as auth_service

    def explode(openid):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(auth_service, "dev_login", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post("/api/v1/auth/dev-login", json={"openid": "x"})
    assert_error(response, 500, "internal_error")
    assert "secret internals" not in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["page=0", "page=abc", "per_page=1000"])
def test_bad_pagination_is_422(api, org, query):
    response = api.as_resident().get(f"/api/v1/communities?{query}")
    assert_error(response, 422)


def test_nul_characters_are_refused_in_query_and_body(api, org, db):
    resident = api.as_resident()
    assert_error(resident.get("/api/v1/communities?q=%00建业"), 422, "invalid_characters")
    response = resident.post("/api/v1/memberships", json={
        "community_id": org.community.id, "building": "1\u0000", "room": "101"})
    assert_error(response, 422, "invalid_characters")
    assert db.session.execute(db.select(db.func.count(Membership.id))).scalar_one() == 0


def test_field_errors_speak_chinese(api, org):
    response = api.as_resident().post("/api/v1/memberships", json={
        "community_id": "x", "building": "1" * 41, "extra": 1})
    fields = response.json["details"]["fields"]
    assert fields["building"] == ["长度应在 1 到 40 之间"]
    assert fields["room"] == ["此项为必填项"]
    assert fields["community_id"] == ["应为整数"]
    assert fields["extra"] == ["不支持的字段"]


def test_json_is_sent_as_utf8_chinese_not_escapes(api, org):
    error = api.get("/api/v1/nowhere")
    raw = error.get_data()
    assert "未找到".encode() in raw and b"\\u" not in raw
    assert error.mimetype == "application/json"
    resident = api.as_resident("utf8-reader")
    assert "\\u" not in resident.get("/api/v1/me").get_data(as_text=True)
    communities = api.as_staff(make_staff("city", "SH")).get("/api/v1/communities").get_data()
    assert "建业里".encode() in communities and b"\\u" not in communities
