"""The authorization matrix's requests for the evaluation, staff accounts, partner keys,
volunteers and inspections (see tests/authz_requests.py)."""
from tests.authz_requests import Req, builds


# --- evaluation ---------------------------------------------------------------------------

@builds("PUT /api/v1/communities/{community_id}/entries/{code}")
def _self_assess(w, who):
    return Req(params={"community_id": w.community.id, "code": "S5.1"}, json={"value": "A"})


@builds("POST /api/v1/communities/{community_id}/entries/{code}/review")
def _review_entry(w, who):
    w.self_assessed()
    return Req(params={"community_id": w.community.id, "code": "S5.1"},
               json={"decision": "agree"})


@builds("POST /api/v1/communities/{community_id}/stage")
def _stage(w, who):
    w.self_assessed(reviewed=True)
    return Req(params={"community_id": w.community.id}, json={"action": "self_assess"})


@builds("POST /api/v1/communities/{community_id}/veto-events")
def _veto(w, who):
    return Req(params={"community_id": w.community.id}, json=w.veto_body())


@builds("PATCH /api/v1/communities/{community_id}/veto-events/{event_id}")
def _correct_veto(w, who):
    return Req(params={"community_id": w.community.id, "event_id": w.veto_event["id"]},
               json={"note": "更正说明", "reason": "原记录有误"})


@builds("POST /api/v1/communities/{community_id}/veto-events/{event_id}/withdraw")
def _withdraw_veto(w, who):
    return Req(params={"community_id": w.community.id, "event_id": w.veto_event["id"]},
               json={"reason": "误登记"})


@builds("PUT /api/v1/communities/{community_id}/creation-start")
def _creation_start(w, who):
    return Req(params={"community_id": w.community.id},
               json={"started_on": "2021-03-01", "record": "街道台账 2021-03", "reason": "补录"})


@builds("POST /api/v1/communities/{community_id}/opinions")
def _opinion(w, who):
    w.preliminary_candidate()
    return Req(params={"community_id": w.community.id},
               json={"department": "市公安局", "opinion": "agree"})


@builds("POST /api/v1/cycles")
def _create_cycle(w, who):
    return Req(json={"start_year": 2028})


@builds("PUT /api/v1/cycles/{cycle_id}/quotas")
def _quotas(w, who):
    return Req(params={"cycle_id": w.cycle.id}, json={
        "quotas": [{"district_id": w.org.district.id, "quota": 2}], "city_quota": 3})


@builds("POST /api/v1/cycles/{cycle_id}/selection")
def _selection(w, who):
    return Req(params={"cycle_id": w.cycle.id}, json={"community_ids": []})


@builds("POST /api/v1/cycles/{cycle_id}/city-lists")
def _city_list(w, who):
    return Req(params={"cycle_id": w.cycle.id},
               json={"step": "approval", "community_ids": [w.community.id],
                     "note": "市文明委会议审定"})


@builds("GET /api/v1/cycles/{cycle_id}/candidates")
def _candidates(w, who):
    return Req(params={"cycle_id": w.cycle.id}, query={"district_id": w.org.district.id})


@builds("PUT /api/v1/holidays/{year}")
def _holidays(w, who):
    from tests.api.test_holidays import TEST_2027
    return Req(params={"year": 2027}, json=TEST_2027)


# --- staff accounts, partners -------------------------------------------------------------

@builds("GET /api/v1/staff")
def _staff_list(w, who):
    return Req(ours=w.committee_account.id)


@builds("PUT /api/v1/staff/{staff_id}/role")
def _role(w, who):
    return Req(params={"staff_id": w.committee_account.id},
               json={"role": "committee", "scope": "XH-TP-R02"})


@builds("POST /api/v1/staff/{staff_id}/password")
def _reset_password(w, who):
    return Req(params={"staff_id": w.committee_account.id},
               json={"password": "another-horse-battery"})


@builds("POST /api/v1/open311/keys")
def _issue_key(w, who):
    return Req(json={"name": "区数字城管"})


# --- volunteers and inspections -----------------------------------------------------------

@builds("GET /api/v1/volunteers")
def _volunteers(w, who):
    return Req(ours=w.volunteer["id"])


@builds("POST /api/v1/volunteers/{volunteer_id}/reject")
def _reject_volunteer(w, who):
    return Req(params={"volunteer_id": w.volunteer["id"]}, json={"reason": "名额已满"})


@builds("POST /api/v1/inspections")
def _draw(w, who):
    return Req(json=w.draw_body())


@builds("GET /api/v1/inspections")
def _inspections(w, who):
    return Req(ours=w.inspection["id"])


@builds("PUT /api/v1/inspections/{inspection_id}/items/{item_id}")
def _grade(w, who):
    inspection = w.inspection
    return Req(params={"inspection_id": inspection["id"],
                       "item_id": inspection["items"][0]["id"]},
               json={"grade": "A", "photo_id": w.photo["id"]})


@builds("POST /api/v1/inspections/{inspection_id}/submit")
def _submit_inspection(w, who):
    return Req(params={"inspection_id": w.graded_inspection()["id"]})
