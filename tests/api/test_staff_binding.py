"""Staff bind their WeChat account once with their password, then sign in with WeChat alone;
and any logged-in caller may read the subscribe-message template ids in use."""
import pytest
import responses

from server.models import AuditLog, AuthSession, Staff
from server.services import lockout
from tests import wechat_http
from tests.builders import PASSWORD, make_staff
from tests.conftest import TEMPLATES


def count(db, model):
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def wechat(client, path, openid="o-staff-1", errcode=None, **body):
    """POST to an auth endpoint while WeChat answers code2Session with `openid` (or errcode)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, openid=openid, errcode=errcode)
        return client.post(f"/api/v1/auth/{path}", json={"code": "js-code", **body})


def bind(client, staff, openid="o-staff-1", password=PASSWORD, **kwargs):
    return wechat(client, "staff-bind", openid=openid, username=staff.username,
                  password=password, **kwargs)


@pytest.fixture
def chen(org):
    return make_staff("committee", "XH-TP-R01", username="xh-tp-r01")


def test_bind_stores_the_openid_audits_and_returns_a_staff_token(client, db, chen, record):
    response = record("auth_staff_bind", bind(client, chen))
    assert response.status_code == 200
    assert response.json["user"] == {"kind": "staff", "id": chen.id}
    assert "o-staff-1" not in response.get_data(as_text=True)
    db.session.refresh(chen)
    assert chen.wechat_openid == "o-staff-1"
    entry = db.session.execute(db.select(AuditLog).filter_by(action="staff.wechat_bind")).scalar_one()
    assert (entry.actor_staff_id, entry.object_id) == (chen.id, str(chen.id))
    assert "o-staff-1" not in str(entry.before) + str(entry.after)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {response.json['token']}"})
    assert me.json["kind"] == "staff" and me.json["id"] == chen.id


def test_bind_with_a_wrong_password_counts_toward_the_lockout(client, db, chen, redis_conn):
    codes = [bind(client, chen, password="wrong-password").status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    db.session.refresh(chen)
    assert chen.wechat_openid is None and redis_conn.ttl(lockout.user_key(chen.username)) > 0
    # Locked means locked: the right password through either door waits.
    assert bind(client, chen).status_code == 429
    assert client.post("/api/v1/auth/staff-login", json={
        "username": chen.username, "password": PASSWORD}).status_code == 429


def test_bind_with_a_rejected_code_writes_nothing(client, db, chen, redis_conn):
    response = bind(client, chen, errcode=40029, password="wrong-password")
    assert response.status_code == 401 and response.json["error"] == "wechat_code_invalid"
    db.session.refresh(chen)
    assert chen.wechat_openid is None
    assert not redis_conn.exists(lockout.user_key(chen.username))
    assert count(db, AuthSession) == 0
    assert db.session.execute(db.select(AuditLog).filter_by(action="staff.wechat_bind")).first() is None


def test_an_openid_bound_to_another_staff_account_is_409(client, db, chen, org):
    wang = make_staff("committee", "XH-TP-R02", username="wang")
    assert bind(client, chen).status_code == 200
    response = bind(client, wang)
    assert response.status_code == 409 and response.json["error"] == "wechat_already_bound"
    assert "o-staff-1" not in response.get_data(as_text=True)
    db.session.refresh(wang)
    assert wang.wechat_openid is None


def test_binding_again_replaces_the_earlier_binding(client, db, chen):
    assert bind(client, chen, openid="o-old-phone").status_code == 200
    assert bind(client, chen, openid="o-new-phone").status_code == 200
    db.session.refresh(chen)
    assert chen.wechat_openid == "o-new-phone"
    assert wechat(client, "staff-wechat-login", openid="o-old-phone").status_code == 404


def test_bind_without_a_password_is_422(client, chen):
    response = client.post("/api/v1/auth/staff-bind",
                           json={"code": "c", "username": chen.username})
    assert response.status_code == 422 and "password" in response.json["details"]["fields"]


def test_bind_with_an_unknown_username_is_401(client, db, chen):
    response = wechat(client, "staff-bind", username="nobody", password=PASSWORD)
    assert response.status_code == 401 and response.json["error"] == "bad_credentials"
    assert count(db, AuthSession) == 0


def test_wechat_login_for_bound_staff(client, db, chen, record):
    bind(client, chen)
    response = record("auth_staff_wechat_login",
                      wechat(client, "staff-wechat-login", openid="o-staff-1"))
    assert response.status_code == 200
    assert response.json["user"] == {"kind": "staff", "id": chen.id}
    assert "o-staff-1" not in response.get_data(as_text=True)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {response.json['token']}"})
    assert me.json["username"] == chen.username


def test_wechat_login_when_not_bound_is_404(client, db, chen, record):
    response = record("auth_staff_not_bound",
                      wechat(client, "staff-wechat-login", openid="o-stranger"))
    assert response.status_code == 404 and response.json["error"] == "staff_not_bound"
    assert count(db, AuthSession) == 0


def test_wechat_login_with_a_rejected_code_is_401(client, db):
    response = wechat(client, "staff-wechat-login", errcode=40029)
    assert response.status_code == 401 and response.json["error"] == "wechat_code_invalid"


def test_wechat_login_without_a_code_is_422(client):
    response = client.post("/api/v1/auth/staff-wechat-login", json={})
    assert response.status_code == 422 and "code" in response.json["details"]["fields"]


def test_wechat_login_of_a_deactivated_staff_member_is_401(client, db, chen):
    bind(client, chen)
    chen.active = False
    db.session.commit()
    response = wechat(client, "staff-wechat-login", openid="o-staff-1")
    assert response.status_code == 401 and response.json["error"] == "account_disabled"


@pytest.mark.parametrize("method", ["post", "delete"])
def test_unbind_removes_the_binding(client, db, chen, record, method):
    token = bind(client, chen).json["token"]
    response = getattr(client, method)("/api/v1/auth/staff-unbind",
                                       headers={"Authorization": f"Bearer {token}"})
    if method == "post":  # the app's way
        record("auth_staff_unbind", response)
    assert response.status_code == 204
    db.session.refresh(chen)
    assert chen.wechat_openid is None
    assert db.session.execute(
        db.select(AuditLog).filter_by(action="staff.wechat_unbind")).scalar_one()
    assert wechat(client, "staff-wechat-login", openid="o-staff-1").status_code == 404
    # The session it was called with lives on; unbinding again changes nothing.
    again = client.post("/api/v1/auth/staff-unbind", headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 204
    # The WeChat account is free for another staff member now.
    wang = make_staff("committee", "XH-TP-R02", username="wang")
    assert bind(client, wang).status_code == 200


def test_unbind_is_for_staff_only(api, client):
    assert client.post("/api/v1/auth/staff-unbind").status_code == 401
    response = api.as_resident("r1").post("/api/v1/auth/staff-unbind")
    assert response.status_code == 403


def test_unbind_with_a_malformed_token_is_401(client):
    response = client.delete("/api/v1/auth/staff-unbind", headers={"Authorization": "Bearer x"})
    assert response.status_code == 401 and response.json["error"] == "invalid_token"


def test_templates_lists_the_configured_ids(api, record):
    response = record("wechat_templates", api.as_resident("r1").get("/api/v1/wechat/templates"))
    assert response.status_code == 200
    assert response.json == TEMPLATES


def test_templates_leave_out_kinds_without_an_id(api, app, chen):
    app.config["WECHAT_TEMPLATES"] = dict(TEMPLATES, survey_opened="", rectification_due="",
                                          eligibility_changed="")
    response = api.as_staff(chen).get("/api/v1/wechat/templates")
    assert response.json == {"membership_decided": "TPL-MEMBERSHIP",
                             "report_status": "TPL-REPORT"}


def test_templates_need_a_login(client):
    response = client.get("/api/v1/wechat/templates")
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


def test_templates_with_a_bad_token_is_401(client):
    response = client.get("/api/v1/wechat/templates", headers={"Authorization": "Basic abc"})
    assert response.status_code == 401 and response.json["error"] == "invalid_token"
