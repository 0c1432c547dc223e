"""A resident's phone number: asked of WeChat and stored only with consent."""
import json

import requests
import responses

from server.models import ResidentPhone
from tests import wechat_http
from tests.builders import make_staff


def stored(db):
    return db.session.execute(db.select(ResidentPhone)).scalars().all()


def test_shared_number_is_stored_with_consent_and_shown_masked(api, db):
    resident = api.as_resident("r1")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_phone_number(rsps, phone="13800138000")
        response = resident.post("/api/v1/me/phone", json={"code": "phone-code",
                                                           "consent": True})
        assert json.loads(rsps.calls[-1].request.body) == {"code": "phone-code"}
    assert response.status_code == 200 and response.json["phone"] == "138****8000"
    [record] = stored(db)
    assert record.phone == "13800138000"
    assert resident.get("/api/v1/me/phone").json["phone"] == "138****8000"


def test_without_consent_nothing_is_asked_or_stored(api, db):
    resident = api.as_resident("r1")
    with responses.RequestsMock():  # any call to WeChat would fail the test
        response = resident.post("/api/v1/me/phone", json={"code": "c", "consent": False})
    assert response.status_code == 422
    assert "consent" in response.json["details"]["fields"]
    assert stored(db) == []


def test_missing_code_is_422(api, db):
    response = api.as_resident("r1").post("/api/v1/me/phone", json={"consent": True})
    assert response.status_code == 422 and "code" in response.json["details"]["fields"]


def test_wechat_down_is_503_and_stores_nothing(api, db):
    resident = api.as_resident("r1")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_phone_number(rsps, failure=requests.ConnectionError("down"))
        response = resident.post("/api/v1/me/phone", json={"code": "c", "consent": True})
    assert response.status_code == 503 and stored(db) == []


def test_withdrawing_consent_deletes_the_number(api, db):
    resident = api.as_resident("r1")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_phone_number(rsps)
        resident.post("/api/v1/me/phone", json={"code": "c", "consent": True})
    assert resident.delete("/api/v1/me/phone").status_code == 204
    assert stored(db) == []
    assert resident.get("/api/v1/me/phone").status_code == 404


def test_staff_have_no_phone_to_share(api, org):
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    response = committee.post("/api/v1/me/phone", json={"code": "c", "consent": True})
    assert response.status_code == 403
