"""Logging in: WeChat through wechatpy (HTTP intercepted), dev-login, staff passwords, tokens."""
from datetime import timedelta

import pytest
import requests
import responses

from server.models import AuthSession, Resident
from server.services import lockout
from server.models.base import utcnow
from tests import wechat_http
from tests.builders import make_staff


def count(db, model):
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def test_wechat_login_creates_resident_and_returns_our_token(client, db):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, openid="o-abc")
        response = client.post("/api/v1/auth/wechat-login", json={"code": "js-code-1"})
    assert response.status_code == 200
    body = response.json
    assert body["user"]["kind"] == "resident"
    assert "SECRET-SESSION-KEY" not in response.get_data(as_text=True)
    assert "o-abc" not in response.get_data(as_text=True)
    resident = db.session.execute(db.select(Resident).filter_by(openid="o-abc")).scalar_one()
    assert body["user"]["id"] == resident.id
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json["id"] == resident.id


def test_wechat_login_sends_the_code_to_code2session(client):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps)
        client.post("/api/v1/auth/wechat-login", json={"code": "the-code"})
        sent = rsps.calls[-1].request.url
    assert "js_code=the-code" in sent and "grant_type=authorization_code" in sent


def test_second_wechat_login_finds_the_same_resident(client, db):
    ids = []
    for _ in range(2):
        # The access token from the first call is reused by the second.
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            wechat_http.add_token(rsps)
            wechat_http.add_code2session(rsps, openid="o-same")
            ids.append(client.post("/api/v1/auth/wechat-login",
                                   json={"code": "c"}).json["user"]["id"])
    assert ids[0] == ids[1]
    assert count(db, Resident) == 1


def test_rejected_code_is_401_and_writes_nothing(client, db):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, errcode=40029)
        response = client.post("/api/v1/auth/wechat-login", json={"code": "bad"})
    assert response.status_code == 401
    assert response.json["error"] == "wechat_code_invalid"
    assert response.json["details"]["errcode"] == 40029
    assert count(db, Resident) == 0 and count(db, AuthSession) == 0


@pytest.mark.parametrize("failure", [requests.ConnectionError("down"),
                                     requests.Timeout("slow")])
def test_wechat_down_or_slow_is_503_and_writes_nothing(client, db, failure):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, failure=failure)
        response = client.post("/api/v1/auth/wechat-login", json={"code": "c"})
    assert response.status_code == 503
    assert response.json["error"] == "wechat_unavailable"
    assert count(db, Resident) == 0 and count(db, AuthSession) == 0


def test_wechat_http_error_status_is_503(client, db):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, status=502)
        response = client.post("/api/v1/auth/wechat-login", json={"code": "c"})
    assert response.status_code == 503
    assert count(db, Resident) == 0


def test_wechat_login_without_credentials_is_503(app, database):
    from server import create_app
    from tests.conftest import base_settings
    bare = create_app(base_settings(app.config["SQLALCHEMY_DATABASE_URI"], WECHAT_APP_ID="",
                                    WECHAT_APP_SECRET=""))
    response = bare.test_client().post("/api/v1/auth/wechat-login", json={"code": "c"})
    assert response.status_code == 503


def test_dev_login_is_404_when_dev_login_is_off(app):
    from server import create_app
    from tests.conftest import base_settings
    off = create_app(base_settings(app.config["SQLALCHEMY_DATABASE_URI"], DEV_LOGIN=False))
    response = off.test_client().post("/api/v1/auth/dev-login", json={"openid": "x"})
    assert response.status_code == 404
    assert response.json["error"] == "not_found"
    paths = off.test_client().get("/api/openapi.json").json["paths"]
    assert "/api/v1/auth/dev-login" not in paths


def test_dev_login_rejects_a_malformed_openid(client, db):
    response = client.post("/api/v1/auth/dev-login", json={"openid": "has space"})
    assert response.status_code == 422
    assert "openid" in response.json["details"]["fields"]
    assert count(db, Resident) == 0


def test_staff_login_and_me(client, org):
    staff = make_staff("street", "XH-TP", username="chen")
    response = client.post("/api/v1/auth/staff-login",
                           json={"username": "chen", "password": "correct-horse-battery"})
    assert response.status_code == 200
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {response.json['token']}"})
    assert me.json["kind"] == "staff" and me.json["role"] == "street"
    assert me.json["scope"]["code"] == "XH-TP" and me.json["id"] == staff.id


def test_staff_wrong_password_is_401(client, org):
    make_staff("street", "XH-TP", username="chen")
    response = client.post("/api/v1/auth/staff-login",
                           json={"username": "chen", "password": "wrong-password"})
    assert response.status_code == 401
    assert response.json["error"] == "bad_credentials"


def test_staff_is_locked_for_15_minutes_after_5_failures(client, org, redis_conn):
    make_staff("street", "XH-TP", username="chen")
    bad = {"username": "chen", "password": "wrong-password"}
    codes = [client.post("/api/v1/auth/staff-login", json=bad).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    good = {"username": "chen", "password": "correct-horse-battery"}
    locked = client.post("/api/v1/auth/staff-login", json=good)
    assert locked.status_code == 429 and locked.json["error"] == "account_locked"
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60
    # The lock is a Redis key that expires after fifteen minutes; its expiry, then the
    # right password works again.
    key = lockout.user_key("chen")
    assert 14 * 60 < redis_conn.ttl(key) <= 15 * 60
    redis_conn.delete(key)
    assert client.post("/api/v1/auth/staff-login", json=good).status_code == 200


def test_expired_token_is_401(api, db):
    resident_api = api.as_resident("r1")
    session = db.session.execute(db.select(AuthSession)).scalar_one()
    session.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = resident_api.get("/api/v1/me")
    assert response.status_code == 401 and response.json["error"] == "token_expired"


@pytest.mark.parametrize("header", ["Bearer forged.token.value", "Bearer ", "Basic abc",
                                    "Bearer eyJzaWQiOiJ4In0.forged"])
def test_forged_or_malformed_token_is_401(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json["error"] in ("invalid_token", "unauthorized")


def test_token_signed_with_another_key_is_401(api, app):
    from itsdangerous import URLSafeSerializer
    api.as_resident("r1")
    forged = URLSafeSerializer("some-other-key", salt="auth-session").dumps("anything")
    response = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


def test_logout_revokes_the_token(api):
    resident_api = api.as_resident("r1")
    assert resident_api.post("/api/v1/auth/logout").status_code == 204
    assert resident_api.get("/api/v1/me").status_code == 401


def test_me_without_token_is_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert set(response.json) == {"error", "message", "details"}


def test_staff_login_without_password_is_422(client, org):
    response = client.post("/api/v1/auth/staff-login", json={"username": "chen"})
    assert response.status_code == 422
    assert "password" in response.json["details"]["fields"]


def test_unknown_staff_gets_the_same_answer_as_a_wrong_password(client, org):
    response = client.post("/api/v1/auth/staff-login",
                           json={"username": "nobody", "password": "whatever-pass"})
    assert response.status_code == 401 and response.json["error"] == "bad_credentials"


def test_logout_without_token_is_401(client):
    assert client.post("/api/v1/auth/logout").status_code == 401


def test_deactivated_staff_token_stops_working(api, db, org):
    staff = make_staff("street", "XH-TP", username="chen")
    staff_api = api.as_staff(staff)
    db.session.get(type(staff), staff.id).active = False
    db.session.commit()
    assert staff_api.get("/api/v1/me").status_code == 401
