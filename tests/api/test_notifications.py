"""The residents' inbox: own messages only, paginated, marked read."""
from server.models import Notification
from server.services import notifications
from tests.builders import make_member, make_staff


def message(db, resident, community, title="入住申请已通过"):
    notification = notifications.notify(resident, "membership_decided", title, "正文",
                                        {"community": community.name}, community=community)
    db.session.commit()
    return notification


def test_resident_lists_only_their_own_messages_newest_first(api, db, org, record):
    me = make_member(org.community, openid="me")
    other = make_member(org.community, openid="other")
    first = message(db, me, org.community, "第一条")
    second = message(db, me, org.community, "第二条")
    message(db, other, org.community, "别人的")
    body = record("notifications_list", api.as_resident("me").get("/api/v1/notifications")).json
    assert body["total"] == 2 and body["page"] == 1 and body["per_page"] == 20
    assert [item["id"] for item in body["items"]] == [second.id, first.id]
    assert body["items"][0]["title"] == "第二条" and body["items"][0]["read_at"] is None
    assert body["items"][0]["delivery"] == "pending"
    assert body["items"][0]["delivery_label"] == "等待推送到微信"
    assert body["items"][0]["community"]["name"] == "建业里"


def test_inbox_is_paginated(api, db, org):
    me = make_member(org.community, openid="me")
    for n in range(3):
        message(db, me, org.community, f"第{n}条")
    body = api.as_resident("me").get("/api/v1/notifications?page=2&per_page=2").json
    assert body["total"] == 3 and len(body["items"]) == 1 and body["page"] == 2


def test_bad_page_size_is_422(api, org):
    response = api.as_resident("me").get("/api/v1/notifications?per_page=0")
    assert response.status_code == 422 and "per_page" in response.json["details"]["fields"]


def test_staff_see_only_their_own_inbox(api, db, org):
    message(db, make_member(org.community, openid="me"), org.community)
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    assert committee.get("/api/v1/notifications").json["total"] == 0


def test_inbox_needs_a_login(client):
    assert client.get("/api/v1/notifications").status_code == 401


def test_marking_read_and_the_unread_count(api, db, org, record):
    me = make_member(org.community, openid="me")
    first = message(db, me, org.community)
    message(db, me, org.community)
    resident = api.as_resident("me")
    assert resident.get("/api/v1/notifications/unread-count").json == {"unread": 2}
    response = record("notification_read",
                      resident.post(f"/api/v1/notifications/{first.id}/read"))
    assert response.status_code == 200 and response.json["read_at"] is not None
    assert resident.get("/api/v1/notifications?unread=true").json["total"] == 1
    assert resident.post("/api/v1/notifications/read-all").json == {"updated": 1}
    assert resident.get("/api/v1/notifications/unread-count").json == {"unread": 0}


def test_someone_elses_message_cannot_be_marked_read(api, db, org):
    other = make_member(org.community, openid="other")
    theirs = message(db, other, org.community)
    response = api.as_resident("me").post(f"/api/v1/notifications/{theirs.id}/read")
    assert response.status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_staff_cannot_mark_a_residents_messages_read(api, db, org):
    me = make_member(org.community, openid="me")
    mine = message(db, me, org.community)
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    assert committee.post(f"/api/v1/notifications/{mine.id}/read").status_code == 404
    assert committee.post("/api/v1/notifications/read-all").json == {"updated": 0}
    assert db.session.get(Notification, mine.id).read_at is None


def test_reading_does_not_touch_delivery(api, db, org):
    me = make_member(org.community, openid="me")
    mine = message(db, me, org.community)
    api.as_resident("me").post(f"/api/v1/notifications/{mine.id}/read")
    assert db.session.get(Notification, mine.id).delivery == "pending"
