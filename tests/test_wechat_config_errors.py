"""WeChat refusing our own configuration (bad AppID/AppSecret, address not whitelisted) is our
fault: 503 with a Chinese message, an ERROR in the log, and the health check says so."""
import logging

import pytest
import responses

from server.models import AuthSession, Resident
from tests import wechat_http


def count(db, model):
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize("errcode", [40013, 40125])
def test_login_with_a_bad_appid_or_secret_is_503_not_the_users_fault(client, db, caplog,
                                                                      errcode):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, errcode=errcode)
        with caplog.at_level(logging.ERROR, logger="server.wechat"):
            response = client.post("/api/v1/auth/wechat-login", json={"code": "c"})
    assert response.status_code == 503
    assert response.json["error"] == "wechat_misconfigured"
    assert response.json["details"] == {"errcode": errcode}
    assert "配置" in response.json["message"]
    assert any(r.levelno == logging.ERROR and str(errcode) in r.getMessage()
               for r in caplog.records)
    assert count(db, Resident) == 0 and count(db, AuthSession) == 0
    # Seen by one request, reported by the health check to monitoring (the access token is
    # still cached: WeChat is not asked again).
    with responses.RequestsMock() as rsps:
        health = client.get("/api/v1/health/wechat")
    assert health.status_code == 503 and health.json["details"] == {"errcode": errcode}


def test_staff_wechat_login_with_a_bad_secret_is_503(client):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, errcode=40125)
        response = client.post("/api/v1/auth/staff-wechat-login", json={"code": "c"})
    assert response.status_code == 503 and response.json["error"] == "wechat_misconfigured"


def test_access_token_refused_for_our_address_is_503(api, caplog):
    """40164: this server's IP is not on the whitelist, so no access token."""
    resident = api.as_resident("r1")
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, wechat_http.TOKEN_URL,
                 json={"errcode": 40164, "errmsg": "invalid ip 1.2.3.4, not in whitelist"})
        with caplog.at_level(logging.ERROR, logger="server.wechat"):
            response = resident.post("/api/v1/me/phone", json={"code": "phone-code",
                                                                "consent": True})
    assert response.status_code == 503
    assert response.json["error"] == "wechat_misconfigured"
    assert response.json["details"] == {"errcode": 40164}
    assert any("40164" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)


def test_health_check_fetches_the_access_token(client):
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, wechat_http.TOKEN_URL,
                 json={"errcode": 40164, "errmsg": "invalid ip"})
        refused = client.get("/api/v1/health/wechat")
    assert refused.status_code == 503 and refused.json["details"] == {"errcode": 40164}
    assert set(refused.json) == {"error", "message", "details"}


def test_health_check_is_ok_when_wechat_hands_out_a_token(client):
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        response = client.get("/api/v1/health/wechat")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_health_check_without_credentials_is_503(make_app):
    bare = make_app(WECHAT_APP_ID="", WECHAT_APP_SECRET="")
    response = bare.test_client().get("/api/v1/health/wechat")
    assert response.status_code == 503 and response.json["error"] == "wechat_not_configured"


def test_health_check_refuses_other_methods(client):
    response = client.post("/api/v1/health/wechat", json={})
    assert response.status_code == 405
