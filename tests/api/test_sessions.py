"""Every way of ending a session ends it: deactivation, unbinding WeChat, logging out
everywhere, password resets and changes; staff accounts managed from above, audited."""
import pytest

from server.models import AuditLog, Staff
from tests.api.test_staff_binding import bind, wechat
from tests.builders import PASSWORD, ApiClient, make_staff

NEW_PASSWORD = "a-brand-new-passphrase"


def audit_entries(db, action):
    return db.session.execute(db.select(AuditLog).filter_by(action=action)).scalars().all()


@pytest.fixture
def people(org):
    """A committee member (XH-TP-R01) and the street, district and city above it, plus a
    committee in another district."""
    return {
        "committee": make_staff("committee", "XH-TP-R01", username="li"),
        "street": make_staff("street", "XH-TP", username="zhang"),
        "peer": make_staff("street", "XH-TP", username="zhou"),
        "district": make_staff("district", "XH", username="xu"),
        "city": make_staff("city", "SH", username="shi"),
        "far": make_staff("committee", "JA-CJ-R01", username="far"),
    }


def test_deactivating_ends_sessions_for_good(api, db, people):
    li = people["committee"]
    old = api.as_staff(li)
    street = api.as_staff(people["street"])
    response = street.post(f"/api/v1/staff/{li.id}/deactivate")
    assert response.status_code == 200 and response.json["active"] is False
    assert old.get("/api/v1/me").status_code == 401
    assert street.post(f"/api/v1/staff/{li.id}/reactivate").json["active"] is True
    # Reactivation does not bring the old session back; a new login works.
    assert old.get("/api/v1/me").status_code == 401
    assert api.as_staff(li).get("/api/v1/me").status_code == 200
    [entry] = audit_entries(db, "staff.deactivate")
    assert entry.after == {"active": False, "sessions_ended": 1}
    assert entry.actor_staff_id == people["street"].id
    assert audit_entries(db, "staff.activate")


def test_unbinding_wechat_ends_the_sessions_wechat_opened(client, db, people):
    li = people["committee"]
    bound = ApiClient(client, bind(client, li).json["token"])
    phone = ApiClient(client, wechat(client, "staff-wechat-login").json["token"])
    desk = ApiClient(client, client.post("/api/v1/auth/staff-login", json={
        "username": li.username, "password": PASSWORD}).json["token"])
    assert desk.post("/api/v1/auth/staff-unbind").status_code == 204
    assert phone.get("/api/v1/me").status_code == 401
    assert bound.get("/api/v1/me").status_code == 401
    assert desk.get("/api/v1/me").status_code == 200
    [entry] = audit_entries(db, "staff.wechat_unbind")
    assert entry.after == {"wechat_bound": False, "sessions_ended": 2}


@pytest.mark.parametrize("kind", ["resident", "staff"])
def test_logout_everywhere(api, people, kind):
    def login():
        return api.as_resident("r1") if kind == "resident" else api.as_staff(people["street"])

    first, second = login(), login()
    assert first.post("/api/v1/auth/logout-all").status_code == 204
    assert first.get("/api/v1/me").status_code == 401
    assert second.get("/api/v1/me").status_code == 401
    assert login().get("/api/v1/me").status_code == 200


def test_logout_everywhere_needs_a_login(client):
    assert client.post("/api/v1/auth/logout-all").status_code == 401


def test_password_reset_by_the_street(api, client, db, people, redis_conn):
    li = people["committee"]
    old = api.as_staff(li)
    for _ in range(5):  # locked out
        client.post("/api/v1/auth/staff-login", json={"username": "li", "password": "wrong-pw"})
    street = api.as_staff(people["street"])
    response = street.post(f"/api/v1/staff/{li.id}/password", json={"password": NEW_PASSWORD})
    assert response.status_code == 200
    assert old.get("/api/v1/me").status_code == 401
    # The lock is lifted with the reset; only the new password works.
    assert client.post("/api/v1/auth/staff-login", json={
        "username": "li", "password": PASSWORD}).status_code == 401
    assert api.as_staff(li, password=NEW_PASSWORD).get("/api/v1/me").status_code == 200
    [entry] = audit_entries(db, "staff.password_reset")
    assert NEW_PASSWORD not in str(entry.after) and entry.after["sessions_ended"] == 1


@pytest.mark.parametrize("body", [{"password": "short"}, {}, {"password": NEW_PASSWORD,
                                                               "extra": 1}])
def test_password_reset_refuses_bad_input(api, db, people, body):
    li = people["committee"]
    response = api.as_staff(people["street"]).post(f"/api/v1/staff/{li.id}/password", json=body)
    assert response.status_code == 422
    db.session.refresh(li)
    assert not audit_entries(db, "staff.password_reset")


def test_changing_my_password_ends_my_other_sessions(api, client, db, people):
    zhang = people["street"]
    other, here = api.as_staff(zhang), api.as_staff(zhang)
    wrong = here.post("/api/v1/auth/password", json={"current_password": "wrong-password",
                                                     "new_password": NEW_PASSWORD})
    assert wrong.status_code == 401
    response = here.post("/api/v1/auth/password", json={"current_password": PASSWORD,
                                                        "new_password": NEW_PASSWORD})
    assert response.status_code == 204
    assert other.get("/api/v1/me").status_code == 401
    assert here.get("/api/v1/me").status_code == 200
    assert api.as_staff(zhang, password=NEW_PASSWORD)
    assert audit_entries(db, "staff.password_change")


def test_changing_my_password_is_for_staff_and_checks_length(api, people):
    resident = api.as_resident("r1")
    assert resident.post("/api/v1/auth/password", json={
        "current_password": "x", "new_password": NEW_PASSWORD}).status_code == 403
    short = api.as_staff(people["street"]).post("/api/v1/auth/password", json={
        "current_password": PASSWORD, "new_password": "short"})
    assert short.status_code == 422


def test_role_change_takes_effect_on_the_next_request(api, db, people):
    li = people["committee"]
    li_api = api.as_staff(li)
    district = api.as_staff(people["district"])
    response = district.put(f"/api/v1/staff/{li.id}/role",
                            json={"role": "street", "scope": "XH-TP"})
    assert response.status_code == 200 and response.json["role"] == "street"
    me = li_api.get("/api/v1/me").json
    assert (me["role"], me["scope"]["code"]) == ("street", "XH-TP")
    [entry] = audit_entries(db, "staff.role_change")
    assert entry.before == {"role": "committee", "scope": "XH-TP-R01"}
    assert entry.after == {"role": "street", "scope": "XH-TP"}


@pytest.mark.parametrize("body, status", [
    ({"role": "mayor", "scope": "XH-TP"}, 422),
    ({"role": "street", "scope": "XH-TP-R01"}, 422),   # a committee's unit for a street role
    ({"role": "street"}, 422),
    ({"role": "district", "scope": "XH"}, 403),         # the district's own level
    ({"role": "committee", "scope": "JA-CJ-R01"}, 403),  # another district
])
def test_role_change_refuses_bad_or_foreign_scopes(api, db, people, body, status):
    li = people["committee"]
    response = api.as_staff(people["district"]).put(f"/api/v1/staff/{li.id}/role", json=body)
    assert response.status_code == status
    db.session.refresh(li)
    assert (li.role, li.scope_unit.code) == ("committee", "XH-TP-R01")


def test_who_manages_whom(api, people):
    li, far, peer = people["committee"], people["far"], people["peer"]
    committee = api.as_staff(li)
    street = api.as_staff(people["street"])
    city = api.as_staff(people["city"])
    assert committee.get("/api/v1/staff").status_code == 403
    assert committee.post(f"/api/v1/staff/{far.id}/deactivate").status_code == 403
    assert api.as_resident("r1").get("/api/v1/staff").status_code == 403
    assert street.post(f"/api/v1/staff/{far.id}/deactivate").status_code == 404
    assert street.post(f"/api/v1/staff/{peer.id}/deactivate").status_code == 403
    assert street.post(f"/api/v1/staff/{people['district'].id}/deactivate").status_code == 404
    assert street.post(f"/api/v1/staff/{people['street'].id}/deactivate").status_code == 409
    assert street.post("/api/v1/staff/999999/deactivate").status_code == 404
    assert city.post(f"/api/v1/staff/{far.id}/end-sessions").status_code == 200
    listed = street.get("/api/v1/staff").json
    assert [s["username"] for s in listed["items"]] == ["li"] and listed["total"] == 1
    everyone = city.get("/api/v1/staff?per_page=100").json
    assert everyone["total"] == len(people)
    assert "wechat_openid" not in str(everyone)


def test_ending_an_accounts_sessions(api, db, people):
    li = people["committee"]
    first, second = api.as_staff(li), api.as_staff(li)
    response = api.as_staff(people["district"]).post(f"/api/v1/staff/{li.id}/end-sessions")
    assert response.status_code == 200
    assert first.get("/api/v1/me").status_code == 401
    assert second.get("/api/v1/me").status_code == 401
    assert db.session.get(Staff, li.id).active is True
    [entry] = audit_entries(db, "staff.sessions_end")
    assert entry.after == {"sessions_ended": 2}


def test_staff_list_refuses_a_bad_filter(api, people):
    response = api.as_staff(people["city"]).get("/api/v1/staff?role=mayor")
    assert response.status_code == 422


def test_audit_entries_carry_the_client_address(api, client, db, people):
    li = people["committee"]
    street = api.as_staff(people["street"])
    street.post(f"/api/v1/staff/{li.id}/end-sessions", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    [entry] = audit_entries(db, "staff.sessions_end")
    assert entry.ip == "10.9.8.7"


def test_audit_address_behind_a_proxy(make_app, db, people):
    """PROXY_COUNT=1: the address the load balancer appended, not one the client made up."""
    behind = make_app(PROXY_COUNT=1)
    client = behind.test_client()
    token = client.post("/api/v1/auth/staff-login", json={
        "username": "zhang", "password": PASSWORD}).json["token"]
    client.post(f"/api/v1/staff/{people['committee'].id}/end-sessions",
                headers={"Authorization": f"Bearer {token}",
                         "X-Forwarded-For": "1.2.3.4, 203.0.113.5"},
                environ_base={"REMOTE_ADDR": "10.0.0.1"})
    [entry] = audit_entries(db, "staff.sessions_end")
    assert entry.ip == "203.0.113.5"
