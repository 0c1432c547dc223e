"""Real answers of the foundation's endpoints, recorded for the mini-program's page tests
(tests/recording.py). Each test also asserts the answer it records, so a recording is never of
an error by accident."""
import responses

from tests import wechat_http
from tests.builders import make_staff


def test_record_resident_path(client, api, org, record):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, openid="o-journey")
        login = record("auth_wechat_login",
                       client.post("/api/v1/auth/wechat-login", json={"code": "wx-code"}))
    assert login.status_code == 200
    resident = type(api)(client, login.json["token"])
    search = record("communities_search",
                    resident.get("/api/v1/communities?q=建业&page=1&per_page=20"))
    assert search.json["items"][0]["code"] == "XH-TP-001"
    applied = record("membership_apply", resident.post("/api/v1/memberships", json={
        "community_id": org.community.id, "building": "1号楼", "unit": "1", "room": "101"}))
    assert applied.status_code == 201
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    pending = record("memberships_pending",
                     committee.get("/api/v1/memberships?status=pending"))
    assert pending.json["total"] == 1
    approved = record("membership_approve", committee.post(
        f"/api/v1/memberships/{applied.json['id']}/approve"))
    assert approved.json["status"] == "approved"
    me = record("me_resident", resident.get("/api/v1/me"))
    assert me.json["memberships"][0]["status"] == "approved"


def test_record_staff_answers(client, api, org, record):
    make_staff("committee", "XH-TP-R01", username="xh-tp-r01")
    login = record("auth_staff_login", client.post("/api/v1/auth/staff-login", json={
        "username": "xh-tp-r01", "password": "correct-horse-battery"}))
    assert login.status_code == 200
    staff = type(api)(client, login.json["token"])
    assert record("me_staff", staff.get("/api/v1/me")).json["kind"] == "staff"
    applied = api.as_resident("o-rejected").post("/api/v1/memberships", json={
        "community_id": org.community.id, "building": "9号楼", "room": "909"})
    rejected = record("membership_reject", staff.post(
        f"/api/v1/memberships/{applied.json['id']}/reject", json={"reason": "查无此户，请核对门牌"}))
    assert rejected.json["status"] == "rejected"
