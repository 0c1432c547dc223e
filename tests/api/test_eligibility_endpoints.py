"""The eligibility endpoints' rights and bad input, and the staff notification of a veto event
learned after applying, delivered by a real worker."""
import json
from datetime import date

import responses

from server.models import Notification, Participation, VetoEvent
from tests import wechat_http
from tests.builders import make_member, make_staff
from tests.eligibility_support import World
from tests.jobs.worker import work


def _world(api, org, calendar):
    w = World(api, org, calendar)
    w.calendar(date(2028, 11, 1))
    w.cycle(2027, quota=1)
    return w


def test_city_lists_and_ranking_are_the_citys_and_checked(api, org, calendar):
    w = _world(api, org, calendar)
    cycle_id = w.cycles[2027].id
    lists = f"/api/v1/cycles/{cycle_id}/city-lists"
    body = {"step": "preliminary", "community_ids": [org.community.id]}
    assert w.as_("district").post(lists, json=body).status_code == 403
    assert w.as_("district").get(f"/api/v1/cycles/{cycle_id}/city-ranking").status_code == 403
    assert w.as_("city").post(lists, json=dict(body, step="final")).status_code == 422
    assert w.as_("city").post(lists, json=dict(body, community_ids=[])).status_code == 422
    assert w.as_("city").get("/api/v1/cycles/99999/city-ranking").status_code == 404
    refused = w.as_("city").post(lists, json=body)
    assert refused.status_code == 422 and refused.json["details"]["reasons"][0]["code"] == (
        "wrong_stage")


def test_city_quota_is_set_by_the_city_and_checked(api, org, calendar):
    w = _world(api, org, calendar)
    path = f"/api/v1/cycles/{w.cycles[2027].id}/quotas"
    assert w.as_("district").put(path, json={"city_quota": 3}).status_code == 403
    assert w.as_("city").put(path, json={"city_quota": -1}).status_code == 422
    assert w.as_("city").put(path, json={}).status_code == 422  # nothing to set
    assert w.as_("city").put(path, json={"city_quota": 3}).json["city_quota"] == 3


def test_decisions_and_eligibility_are_for_staff_in_scope(api, org, calendar):
    w = _world(api, org, calendar)
    make_member(org.community, openid="resident-d")
    resident = api.as_resident("resident-d")
    base = f"/api/v1/communities/{org.community.id}"
    assert resident.get(f"{base}/decisions").status_code == 403
    assert resident.get(f"{base}/eligibility").status_code == 403
    far = f"/api/v1/communities/{org.far_community.id}"
    assert w.as_("street").get(f"{far}/decisions").status_code == 404
    assert w.as_("street").get(f"{base}/eligibility?stage=fly").status_code == 422
    assert w.as_("street").get(f"{base}/decisions").json == []


def test_veto_corrections_need_rights_a_reason_and_an_event_in_scope(api, org, calendar, db):
    w = _world(api, org, calendar)
    event = w.veto(org.community, "major_crime", date(2028, 6, 1))
    path = f"/api/v1/communities/{org.community.id}/veto-events/{event['id']}"
    fix = {"occurred_on": "2028-05-01", "reason": "更正"}
    assert w.as_("committee").patch(path, json=fix).status_code == 403
    assert w.as_("street").patch(path, json={"kind": "arson", "reason": "x"}).status_code == 422
    assert w.as_("street").patch(path, json=dict(fix, occurred_on="2029-01-01")
                                 ).status_code == 422  # in the future
    wrong = f"/api/v1/communities/{org.far_community.id}/veto-events/{event['id']}"
    far_street = api.as_staff(make_staff("street", "JA-CJ"))
    assert far_street.patch(wrong, json=fix).status_code == 404
    assert db.session.get(VetoEvent, event["id"]).occurred_on == date(2028, 6, 1)
    w.as_("street").post(f"{path}/withdraw", json={"reason": "误录"})
    assert w.as_("street").patch(path, json=fix).status_code == 409  # withdrawn


def test_a_late_veto_event_reaches_staff_through_the_worker(api, org, calendar, db):
    w = _world(api, org, calendar)
    w.at_stage(org.community, 2027, "district_selected", date(2027, 3, 1))
    db.session.get(type(w.staff["street"]), w.staff["street"].id).wechat_openid = "o-street-1"
    db.session.commit()
    w.veto(org.sibling, "committee_misconduct", date(2026, 6, 1), who="district")
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        work()
        sent = wechat_http.calls_to(rsps, wechat_http.SUBSCRIBE_URL)
    assert [json.loads(c.request.body)["touser"] for c in sent] == ["o-street-1"]
    deliveries = dict(db.session.execute(db.select(Notification.staff_id,
                                                   Notification.delivery)).all())
    # The district officer has bound no WeChat: the inbox row stays, nothing is sent.
    assert deliveries == {w.staff["street"].id: "sent", w.staff["district"].id: "not_configured"}
    stage = db.session.execute(db.select(Participation.stage).filter_by(
        community_id=org.community.id)).scalar_one()
    assert stage == "district_selected"  # stopped at the next stage, not moved by the record
