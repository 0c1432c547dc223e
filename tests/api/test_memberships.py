"""Joining a community: apply, the committee decides, the register match, scopes, audit."""
from server.models import AuditLog, Household, Membership
from tests.builders import make_staff


def apply(resident_api, community, building="1号楼", unit="1", room="101"):
    return resident_api.post("/api/v1/memberships", json={
        "community_id": community.id, "building": building, "unit": unit, "room": room})


def count(db, model):
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def test_resident_applies_and_sees_pending(api, org):
    resident = api.as_resident()
    response = apply(resident, org.community)
    assert response.status_code == 201
    assert response.json["status"] == "pending"
    assert response.json["community"]["code"] == "XH-TP-001"
    assert "household_match" not in response.json
    me = resident.get("/api/v1/me").json
    assert [m["status"] for m in me["memberships"]] == ["pending"]


def test_second_application_is_409_and_writes_nothing(api, org, db):
    resident = api.as_resident()
    apply(resident, org.community)
    response = apply(resident, org.sibling)
    assert response.status_code == 409
    assert response.json["error"] == "membership_exists"
    assert count(db, Membership) == 1


def test_application_to_a_missing_community_is_404(api, org, db):
    response = api.as_resident().post("/api/v1/memberships", json={
        "community_id": 424242, "building": "1", "room": "101"})
    assert response.status_code == 404
    assert count(db, Membership) == 0


def test_application_needs_building_and_room(api, org, db):
    response = api.as_resident().post("/api/v1/memberships", json={
        "community_id": org.community.id, "building": "", "room": "101"})
    assert response.status_code == 422
    assert count(db, Membership) == 0


def test_staff_cannot_apply(api, org):
    staff_api = api.as_staff(make_staff("committee", "XH-TP-R01"))
    assert apply(staff_api, org.community).status_code == 403


def test_committee_approves_and_resident_belongs(api, org, db):
    resident = api.as_resident()
    membership_id = apply(resident, org.community).json["id"]
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    response = committee.post(f"/api/v1/memberships/{membership_id}/approve")
    assert response.status_code == 200 and response.json["status"] == "approved"
    assert resident.get("/api/v1/me").json["memberships"][0]["status"] == "approved"
    entry = db.session.execute(db.select(AuditLog).filter_by(action="membership.approve")).scalar_one()
    assert entry.object_id == str(membership_id) and entry.actor_kind == "staff"
    assert entry.before["status"] == "pending" and entry.after["status"] == "approved"


def test_rejection_needs_a_reason_the_resident_sees(api, org):
    resident = api.as_resident()
    membership_id = apply(resident, org.community).json["id"]
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    assert committee.post(f"/api/v1/memberships/{membership_id}/reject",
                          json={}).status_code == 422
    response = committee.post(f"/api/v1/memberships/{membership_id}/reject",
                              json={"reason": "查无此户，请核对门牌"})
    assert response.json["status"] == "rejected"
    mine = resident.get("/api/v1/memberships").json["items"][0]
    assert mine["reason"] == "查无此户，请核对门牌"


def test_deciding_twice_is_409(api, org):
    membership_id = apply(api.as_resident(), org.community).json["id"]
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    committee.post(f"/api/v1/memberships/{membership_id}/approve")
    response = committee.post(f"/api/v1/memberships/{membership_id}/reject",
                              json={"reason": "x"})
    assert response.status_code == 409


def test_approver_sees_the_household_register_match(api, org, db):
    db.session.add(Household(community_id=org.community.id, building="1", unit="1",
                             room="101"))
    db.session.commit()
    matched = apply(api.as_resident("r1"), org.community, "１号楼", "1单元", "101室").json["id"]
    unmatched = apply(api.as_resident("r2"), org.community, "9号楼", "1", "909").json["id"]
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    pending = {m["id"]: m for m in committee.get("/api/v1/memberships?status=pending")
               .json["items"]}
    assert pending[matched]["household_match"]["matched"] is True
    assert pending[unmatched]["household_match"] == {
        "matched": False, "household_id": None, "approved_members": 0, "register_size": 1}


def test_street_sees_but_cannot_decide(api, org):
    membership_id = apply(api.as_resident(), org.community).json["id"]
    street = api.as_staff(make_staff("street", "XH-TP"))
    assert street.get(f"/api/v1/memberships/{membership_id}").status_code == 200
    response = street.post(f"/api/v1/memberships/{membership_id}/approve")
    assert response.status_code == 403


def test_staff_outside_the_scope_get_404(api, org):
    membership_id = apply(api.as_resident(), org.far_community).json["id"]
    for staff in (make_staff("committee", "XH-TP-R01"), make_staff("street", "XH-TP"),
                  make_staff("district", "XH")):
        other = api.as_staff(staff)
        assert other.get(f"/api/v1/memberships/{membership_id}").status_code == 404
        assert other.post(f"/api/v1/memberships/{membership_id}/approve").status_code in (
            403, 404)
        assert other.get("/api/v1/memberships").json["total"] == 0


def test_committee_outside_scope_cannot_approve(api, org):
    membership_id = apply(api.as_resident(), org.far_community).json["id"]
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    assert committee.post(f"/api/v1/memberships/{membership_id}/approve").status_code == 404


def test_another_resident_gets_404(api, org):
    membership_id = apply(api.as_resident("r1"), org.community).json["id"]
    other = api.as_resident("r2")
    assert other.get(f"/api/v1/memberships/{membership_id}").status_code == 404
    assert other.post(f"/api/v1/memberships/{membership_id}/leave").status_code == 404
    assert other.get("/api/v1/memberships").json["total"] == 0


def test_resident_leaves_and_may_apply_again(api, org):
    resident = api.as_resident()
    membership_id = apply(resident, org.community).json["id"]
    response = resident.post(f"/api/v1/memberships/{membership_id}/leave")
    assert response.status_code == 200 and response.json["status"] == "left"
    assert resident.post(f"/api/v1/memberships/{membership_id}/leave").status_code == 409
    assert apply(resident, org.sibling).status_code == 201


def test_bad_status_filter_is_422(api, org):
    assert api.as_resident().get("/api/v1/memberships?status=won").status_code == 422


def _approved(api, org, openid="r-revoke"):
    resident = api.as_resident(openid)
    membership_id = apply(resident, org.community).json["id"]
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    assert committee.post(f"/api/v1/memberships/{membership_id}/approve").status_code == 200
    return resident, committee, membership_id


def test_committee_revokes_an_approved_residency(api, org, db):
    from server.models import Notification
    resident, committee, membership_id = _approved(api, org)
    response = committee.post(f"/api/v1/memberships/{membership_id}/revoke",
                              json={"reason": "已搬离本小区"})
    assert response.status_code == 200 and response.json["status"] == "revoked"
    assert resident.get("/api/v1/me").json["memberships"][0]["status"] == "revoked"
    entry = db.session.execute(db.select(AuditLog).filter_by(action="membership.revoke")).scalar_one()
    assert entry.before["status"] == "approved" and entry.after["status"] == "revoked"
    titles = db.session.execute(db.select(Notification.title)).scalars().all()
    assert "入住资格已撤销" in titles
    # Revoked twice: 409. The resident may apply again.
    again = committee.post(f"/api/v1/memberships/{membership_id}/revoke", json={"reason": "x"})
    assert again.status_code == 409
    assert apply(resident, org.community).status_code == 201


def test_revoking_needs_a_reason_an_approved_residency_and_the_committee(api, org, db):
    resident, committee, membership_id = _approved(api, org)
    path = f"/api/v1/memberships/{membership_id}/revoke"
    assert committee.post(path, json={}).status_code == 422
    assert resident.post(path, json={"reason": "x"}).status_code == 403
    street = api.as_staff(make_staff("street", "XH-TP"))
    assert street.post(path, json={"reason": "x"}).status_code == 403
    far = api.as_staff(make_staff("committee", "JA-CJ-R01"))
    assert far.post(path, json={"reason": "x"}).status_code == 404
    pending_id = apply(api.as_resident("r-pending"), org.community).json["id"]
    response = committee.post(f"/api/v1/memberships/{pending_id}/revoke", json={"reason": "x"})
    assert response.status_code == 409
    assert db.session.get(Membership, membership_id).status == "approved"


def test_a_committee_member_cannot_approve_their_own_residency(api, org, db):
    """The same WeChat account behind the staff account and the resident account."""
    staff = make_staff("committee", "XH-TP-R01", username="self")
    staff.wechat_openid = "o-same-person"
    db.session.commit()
    membership_id = apply(api.as_resident("o-same-person"), org.community).json["id"]
    committee = api.as_staff(staff)
    response = committee.post(f"/api/v1/memberships/{membership_id}/approve")
    assert response.status_code == 403 and response.json["error"] == "own_membership"
    assert db.session.get(Membership, membership_id).status == "pending"
    other = api.as_staff(make_staff("committee", "XH-TP-R01", username="colleague"))
    assert other.post(f"/api/v1/memberships/{membership_id}/approve").status_code == 200
