"""第十条–第十二条 as a table: one row per rule (article, scenario, expected answer), each run
through the API on the suite's backend (SQLite, and PostgreSQL with TEST_DATABASE_URL), the
calendar moved with time-machine. A scenario returns (outcome, reason codes) and checks the
details of its answer (dates, articles) on the way."""
from datetime import date

import pytest

from server.extensions import db
from server.models import AuditLog, Notification
from tests.eligibility_support import World, codes, reason

D = date


@pytest.fixture
def w(api, org, calendar):
    return World(api, org, calendar)


# --- 第十条: the three-year creation period ---------------------------------------------------

def creation_exactly_three_years(w):
    w.ready(D(2027, 3, 2), started=D(2024, 3, 2))
    return "accepted" if w.apply().status_code == 200 else "refused", []


def creation_one_day_short(w):
    w.ready(D(2027, 3, 2), started=D(2024, 3, 3))
    response = w.apply()
    found = reason(response.json, "creation_period")
    assert (found["eligible_from"], found["article"]) == ("2027-03-03", "第十条")
    return "refused", codes(response.json)


def creation_start_cannot_be_self_declared(w):
    w.calendar(D(2027, 3, 2))
    w.cycle(2027)
    community = w.org.community
    declared = w.move(community, "start_creating", "committee", creation_started_on="1990-01-01")
    assert declared.status_code == 422  # no such field: the committee cannot declare it
    started = w.move(community, "start_creating", "committee")
    assert started.status_code == 200
    assert (started.json["creation_started_on"], started.json["creation_source"]) == (
        "2027-03-02", "first_stage")
    return "first_stage", codes(w.eligibility(stage="apply"))


def creation_start_confirmed_by_the_street(w):
    w.ready(D(2027, 3, 2), started=D(2025, 1, 1))
    path = f"/api/v1/communities/{w.org.community.id}/creation-start"
    body = {"started_on": "2023-06-01", "record": "天平路街道创建台账 2023-17号", "reason": "补录"}
    assert w.as_("committee").put(path, json=body).status_code == 403
    assert w.as_("street").put(path, json=dict(body, record="")).status_code == 422
    response = w.as_("street").put(path, json=body)
    assert response.json["creation_source"] == "street_record"
    entry = db.session.execute(db.select(AuditLog).filter_by(
        action="stage.creation_start")).scalar_one()
    assert (entry.before["creation_started_on"], entry.after["creation_started_on"],
            entry.after["reason"]) == ("2025-01-01", "2023-06-01", "补录")
    return "confirmed", codes(w.eligibility(stage="apply"))


# --- 第十条（一）–（五）: veto events in the 12 months before applying -------------------------

def committee_event_bars_the_whole_residential_area(w):
    w.ready(D(2027, 3, 2))
    w.cycle(2027)
    w.veto(w.org.sibling, "committee_misconduct", D(2026, 12, 1))  # same area, other community
    other_area = w.eligibility(w.third, stage="apply")
    assert "veto_event" not in codes(other_area)
    body = w.eligibility(stage="apply")
    assert reason(body, "veto_event")["article"] == "第十条（一）"
    return "refused", codes(body)


def event_exactly_twelve_months_before(w):
    w.ready(D(2027, 3, 2))
    w.veto(w.org.community, "major_crime", D(2026, 3, 2))
    response = w.apply()
    found = reason(response.json, "veto_event")
    assert (found["article"], found["eligible_from"]) == ("第十条（二）", "2027-03-03")
    return "refused", codes(response.json)


def event_twelve_months_and_a_day_before(w):
    w.ready(D(2027, 3, 2))
    w.veto(w.org.community, "major_crime", D(2026, 3, 1))
    return "accepted" if w.apply().status_code == 200 else "refused", []


def event_on_the_application_day(w):
    w.ready(D(2027, 3, 2))
    w.veto(w.org.community, "mass_incident", D(2027, 3, 2))
    response = w.apply()
    assert reason(response.json, "veto_event")["article"] == "第十条（三）"
    return "refused", codes(response.json)


def vice_event_carries_its_full_label(w):
    w.ready(D(2027, 3, 2))
    event = w.veto(w.org.community, "vice_or_cult", D(2026, 10, 1))
    full = "或与精神文明建设要求极不相符的其他事件"
    assert event["kind_label"].endswith(full) and event["article"] == "第十条（四）"
    body = w.eligibility(stage="apply")
    assert reason(body, "veto_event")["article_text"].endswith(full)
    return "refused", codes(body)


def withdrawn_event_bars_nothing_and_is_kept(w):
    w.ready(D(2027, 3, 2))
    event = w.veto(w.org.community, "public_safety", D(2026, 12, 1))
    path = f"/api/v1/communities/{w.org.community.id}/veto-events"
    assert w.as_("street").post(f"{path}/{event['id']}/withdraw", json={}).status_code == 422
    assert w.as_("committee").post(f"{path}/{event['id']}/withdraw",
                                   json={"reason": "误录"}).status_code == 403
    assert w.as_("street").post(f"{path}/{event['id']}/withdraw",
                                json={"reason": "误录：事件发生在其他小区"}).status_code == 200
    listed = w.as_("street").get(path).json
    assert [(e["status"], [h["action"] for h in e["history"]]) for e in listed] == [
        ("withdrawn", ["record", "withdraw"])]
    return "accepted" if w.apply().status_code == 200 else "refused", []


def corrected_event_date_leaves_the_window(w):
    w.ready(D(2027, 3, 2))
    event = w.veto(w.org.community, "public_safety", D(2026, 12, 1))
    path = f"/api/v1/communities/{w.org.community.id}/veto-events/{event['id']}"
    assert w.as_("street").patch(path, json={"occurred_on": "2025-12-01"}).status_code == 422
    corrected = w.as_("street").patch(path, json={"occurred_on": "2025-12-01",
                                                  "reason": "按公安通报更正日期"}).json
    change = corrected["history"][-1]
    assert (change["action"], change["before"]["occurred_on"], change["after"]["reason"]) == (
        "correct", "2026-12-01", "按公安通报更正日期")
    return "eligible" if w.eligibility(stage="apply")["eligible"] else "refused", []


def _leap(w, event_day, last_barred, first_clear):
    """Barred on the last day of the window, eligible the next: the answer's date and the
    answer on that date agree (one relativedelta for both)."""
    w.ready(last_barred)
    w.veto(w.org.community, "major_crime", event_day)
    body = w.eligibility(stage="apply")
    assert (body["eligible"], body["eligible_from"]) == (False, first_clear.isoformat())
    w.calendar(first_clear)
    return "accepted" if w.apply().status_code == 200 else "refused", []


def leap_year_event_on_28_february(w):
    return _leap(w, D(2023, 2, 28), D(2024, 2, 28), D(2024, 2, 29))


def event_on_29_february(w):
    return _leap(w, D(2024, 2, 29), D(2025, 2, 28), D(2025, 3, 1))


def event_learned_after_applying_stops_the_next_stage(w):
    w.ready(D(2027, 3, 2))
    assert w.apply().status_code == 200
    w.calendar(D(2027, 5, 1))
    w.veto(w.org.community, "major_crime", D(2026, 12, 1), who="district")
    told = db.session.execute(db.select(Notification.staff_id).filter_by(
        kind="eligibility_changed")).scalars().all()
    assert sorted(told) == sorted([w.staff["street"].id, w.staff["district"].id])
    response = w.as_("district").post(f"/api/v1/cycles/{w.cycles[2027].id}/selection",
                                      json={"community_ids": [w.org.community.id]})
    found = reason(response.json, "veto_event")
    assert (found["recorded_on"], found["since"]) == ("2027-05-01", "2026-12-01")
    inbox = w.as_("street").get("/api/v1/notifications").json
    assert inbox["total"] == 1 and "一票否决" in inbox["items"][0]["body"]
    return "refused", codes(response.json)


def event_learned_at_the_city_stage(w):
    w.calendar(D(2028, 11, 1))
    w.cycle(2027).city_quota = 5
    w.at_stage(w.org.community, 2027, "city_assessed", D(2027, 4, 1), city_score=98)
    w.veto(w.org.sibling, "committee_misconduct", D(2026, 6, 1))
    response = w.as_("city").post(f"/api/v1/cycles/{w.cycles[2027].id}/city-lists", json={
        "step": "preliminary", "community_ids": [w.org.community.id]})
    assert reason(response.json, "veto_event")["article"] == "第十条（一）"
    return "refused", codes(response.json)


# --- 第十一条（一）: the street's self-assessment, 95 points, year 1 --------------------------

def exactly_95_from_33_33_33_33_33_34(w):
    w.ready(D(2027, 3, 2), grade="N")
    response = w.apply()
    assert response.json["applied_score"] == 95.0
    scores = w.as_("street").get(f"/api/v1/communities/{w.org.community.id}/scores").json
    assert scores["current"]["total"] == 95.0
    return "accepted" if response.status_code == 200 else "refused", []


def just_below_95(w):
    w.ready(D(2027, 3, 2), grade="B")
    response = w.apply()
    assert reason(response.json, "below_95")["score"] == 94.99
    return "refused", codes(response.json)


def gate_reads_the_streets_assessment(w):
    w.ready(D(2027, 3, 2), grade="A", street_grade="C")
    response = w.apply()
    found = reason(response.json, "below_95")
    assert (found["score"], found["article"]) == (60.0, "第十一条（一）")
    return "refused", codes(response.json)


def application_in_year_two(w):
    w.ready(D(2028, 3, 2), cycle_start=2027)
    response = w.apply()
    assert reason(response.json, "not_year_one")["eligible_from"] == "2030-01-01"
    return "refused", codes(response.json)


def titled_community_cannot_file_a_new_application(w):
    w.ready(D(2027, 3, 2), grade="D", started=D(2026, 3, 2))
    w.titled(w.org.community, D(2024, 12, 20))
    w.veto(w.org.community, "major_crime", D(2027, 1, 2))
    assert w.eligibility()["stage"] == "apply_review"  # its next step is re-examination
    response = w.apply()
    assert reason(response.json, "title_held")["article"] == "第十二条"
    return "refused", codes(response.json)


# --- 第十一条（二）: within the district quota, the best first ---------------------------------

def district_quota_over_separate_calls(w):
    w.calendar(D(2027, 9, 1))
    cycle = w.cycle(2027, quota=1)
    w.at_stage(w.org.community, 2027, "applied", D(2027, 3, 1), score=96)
    w.at_stage(w.org.sibling, 2027, "applied", D(2027, 3, 1), score=96)
    path = f"/api/v1/cycles/{cycle.id}/selection"
    district = w.as_("district")
    assert district.post(path, json={"community_ids": [w.org.community.id]}).status_code == 200
    response = district.post(path, json={"community_ids": [w.org.sibling.id]})
    assert reason(response.json, "over_quota")["selected"] == 1
    return "refused", codes(response.json)


def district_ranking_shows_ties_and_refuses_skipping(w):
    w.calendar(D(2027, 9, 1))
    cycle = w.cycle(2027, quota=2)
    for community, score in ((w.org.community, 96), (w.org.sibling, 96), (w.third, 97)):
        w.at_stage(community, 2027, "applied", D(2027, 3, 1), score=score)
    ranking = w.as_("district").get(f"/api/v1/cycles/{cycle.id}/candidates").json
    assert [c["rank"] for c in ranking["candidates"]] == [1, 2, 2]
    assert "并列第2名" in ranking["candidates"][1]["tie_note"]
    response = w.as_("district").post(f"/api/v1/cycles/{cycle.id}/selection", json={
        "community_ids": [w.org.community.id, w.org.sibling.id]})
    assert reason(response.json, "skipped_higher")["community_id"] == w.third.id
    return "refused", codes(response.json)


# --- 第十一条（三）: city assessment at the end of year 2, the city quota ------------------------

def city_assessment_before_the_end_of_year_two(w):
    w.calendar(D(2028, 9, 30))
    w.cycle(2027)
    w.at_stage(w.org.community, 2027, "district_selected", D(2027, 3, 1))
    early = w.move(w.org.community, "city_assess", "city", score=97)
    assert reason(early.json, "not_end_of_year_two")["eligible_from"] == "2028-10-01"
    w.calendar(D(2028, 10, 1))
    assert w.move(w.org.community, "city_assess", "city").status_code == 422  # no score
    assert w.move(w.org.community, "city_assess", "city", score=97).status_code == 200
    return "refused", codes(early.json)


def preliminary_list_within_the_city_quota_best_first(w):
    w.calendar(D(2028, 11, 1))
    cycle = w.cycle(2027)
    w.at_stage(w.org.community, 2027, "city_assessed", D(2027, 3, 1), city_score=92)
    w.at_stage(w.org.sibling, 2027, "city_assessed", D(2027, 3, 1), city_score=97)
    path = f"/api/v1/cycles/{cycle.id}/city-lists"
    city = w.as_("city")
    lower = {"step": "preliminary", "community_ids": [w.org.community.id]}
    assert codes(city.post(path, json=lower).json) == ["no_city_quota", "skipped_higher"]
    assert city.put(f"/api/v1/cycles/{cycle.id}/quotas", json={"city_quota": 1}
                    ).status_code == 200
    assert city.post(path, json={"step": "preliminary",
                                 "community_ids": [w.org.sibling.id]}).status_code == 200
    ranking = city.get(f"/api/v1/cycles/{cycle.id}/city-ranking").json
    assert [(c["code"], c["rank"]) for c in ranking["candidates"]] == [
        ("XH-TP-002", 1), ("XH-TP-001", 2)]
    return "refused", codes(city.post(path, json=lower).json)


# --- 第十一条（四）: consultation with the city's departments ----------------------------------

def consultation_needs_recorded_opinions(w):
    w.calendar(D(2028, 11, 10))
    w.cycle(2027)
    w.at_stage(w.org.community, 2027, "preliminary", D(2027, 3, 1), city_score=97)
    refused = w.move(w.org.community, "consult", "city")
    path = f"/api/v1/communities/{w.org.community.id}/opinions"
    opinion = {"department": "市公安局", "opinion": "agree"}
    assert w.as_("district").post(path, json=opinion).status_code == 403
    assert w.as_("city").post(path, json=dict(opinion, opinion="maybe")).status_code == 422
    assert w.as_("city").post(path, json=opinion).status_code == 201
    assert w.move(w.org.community, "consult", "city").status_code == 200
    decisions = w.as_("street").get(f"/api/v1/communities/{w.org.community.id}/decisions").json
    assert [(d["step"], d["decided_by_id"], d["decided_on"]) for d in decisions] == [
        ("opinion", w.staff["city"].id, "2028-11-10"),
        ("consulted", w.staff["city"].id, "2028-11-10")]
    return "refused", codes(refused.json)


# --- 第十一条（五）: formal list, the city committee's approval, naming -------------------------

def naming_after_formal_list_and_approval(w):
    w.calendar(D(2028, 12, 1))
    cycle = w.cycle(2027)
    w.at_stage(w.org.community, 2027, "preliminary", D(2027, 3, 1), city_score=97)
    w.as_("city").post(f"/api/v1/communities/{w.org.community.id}/opinions", json={
        "department": "市民政局", "opinion": "object", "note": "有信访未结"})
    assert w.move(w.org.community, "consult", "city").status_code == 200
    path = f"/api/v1/cycles/{cycle.id}/city-lists"
    ids = [w.org.community.id]
    city = w.as_("city")
    assert codes(city.post(path, json={"step": "formal", "community_ids": ids}).json) == [
        "department_objected"]
    assert city.post(path, json={"step": "formal", "community_ids": ids,
                                 "note": "信访已办结，民政局复函同意"}).status_code == 200
    assert w.move(w.org.community, "name", "city").status_code == 409  # not approved yet
    assert codes(city.post(path, json={"step": "approval", "community_ids": ids}).json) == [
        "meeting_required"]
    assert city.post(path, json={"step": "approval", "community_ids": ids,
                                 "note": "市文明委2028年第4次全体会议"}).status_code == 200
    named = w.move(w.org.community, "name", "city")
    steps = [d["step"] for d in w.as_("city").get(
        f"/api/v1/communities/{w.org.community.id}/decisions").json]
    assert steps == ["opinion", "consulted", "formal", "approval", "naming"]
    assert w.status()["title"]["since"] == "2028-12-01"
    return "named" if named.status_code == 200 else "refused", []


# --- 第十二条: the cycle, re-examination and the title's life ----------------------------------

def re_examination_applied_in_year_one_and_kept(w):
    w.calendar(D(2027, 4, 1))
    w.cycle(2027)
    w.titled(w.org.community, D(2024, 12, 20))
    assert w.move(w.org.community, "apply_review", "street").status_code == 200
    w.calendar(D(2028, 5, 1))
    early = w.move(w.org.community, "keep_title", "city", score=96)
    assert "review_not_open" in codes(early.json)
    w.calendar(D(2028, 10, 8))
    assert w.move(w.org.community, "keep_title", "city").status_code == 422  # no score
    kept = w.move(w.org.community, "keep_title", "city", score=96)
    title = w.status()["title"]
    assert (title["held"], title["kept_on"]) == (True, "2028-10-08")
    return "kept" if kept.status_code == 200 else "refused", []


def failed_re_examination_loses_the_title(w):
    w.calendar(D(2027, 4, 1))
    w.cycle(2027)
    w.titled(w.org.community, D(2024, 12, 20))
    w.move(w.org.community, "apply_review", "street")
    w.calendar(D(2028, 10, 8))
    assert w.move(w.org.community, "lose_title", "city", score=80).status_code == 422  # reason
    w.move(w.org.community, "lose_title", "city", score=80, note="复查测评未达标")
    title = w.status()["title"]
    assert (title["held"], title["ended_on"]) == (False, "2028-10-08")
    return title["end_reason"], []


def title_lapses_when_year_one_passes_without_application(w):
    w.calendar(D(2028, 12, 31))
    w.cycle(2025)
    w.cycle(2028)
    w.titled(w.org.community, D(2027, 12, 15), named_in=2025)
    before = w.status()["title"]
    assert (before["held"], before["review_due_by"]) == (True, "2028-12-31")
    w.calendar(D(2029, 1, 1))
    after = w.status()["title"]
    assert (after["held"], after["ended_on"]) == (False, "2029-01-01")
    refused = w.move(w.org.community, "apply_review", "street")
    assert "title_ended" in codes(refused.json)
    return after["end_reason"], []


def re_examination_applied_in_year_two(w):
    w.calendar(D(2028, 2, 1))
    w.cycle(2027)
    w.titled(w.org.community, D(2024, 12, 20))
    response = w.move(w.org.community, "apply_review", "street")
    return "refused", codes(response.json)


def no_cycle_configured(w):
    w.calendar(D(2031, 3, 2))
    w.cycle(2027)
    body = w.eligibility(stage="apply")
    assert reason(body, "no_cycle")["article"] == "第十二条"
    return "refused", codes(body)


TABLE = [
    # article, scenario, expected answer (outcome, reason codes)
    ("第十条", creation_exactly_three_years, ("accepted", [])),
    ("第十条", creation_one_day_short, ("refused", ["creation_period"])),
    ("第十条", creation_start_cannot_be_self_declared,
     ("first_stage", ["creation_period", "no_score", "not_self_assessed"])),
    ("第十条", creation_start_confirmed_by_the_street, ("confirmed", [])),
    ("第十条（一）", committee_event_bars_the_whole_residential_area, ("refused", ["veto_event"])),
    ("第十条（二）", event_exactly_twelve_months_before, ("refused", ["veto_event"])),
    ("第十条（二）", event_twelve_months_and_a_day_before, ("accepted", [])),
    ("第十条（三）", event_on_the_application_day, ("refused", ["veto_event"])),
    ("第十条（四）", vice_event_carries_its_full_label, ("refused", ["veto_event"])),
    ("第十条（五）", withdrawn_event_bars_nothing_and_is_kept, ("accepted", [])),
    ("第十条（五）", corrected_event_date_leaves_the_window, ("eligible", [])),
    ("第十条（二）", leap_year_event_on_28_february, ("accepted", [])),
    ("第十条（二）", event_on_29_february, ("accepted", [])),
    ("第十条（二）", event_learned_after_applying_stops_the_next_stage, ("refused", ["veto_event"])),
    ("第十条（一）", event_learned_at_the_city_stage, ("refused", ["veto_event"])),
    ("第十一条（一）", exactly_95_from_33_33_33_33_33_34, ("accepted", [])),
    ("第十一条（一）", just_below_95, ("refused", ["below_95"])),
    ("第十一条（一）", gate_reads_the_streets_assessment, ("refused", ["below_95"])),
    ("第十一条（一）", application_in_year_two, ("refused", ["not_year_one"])),
    ("第十二条", titled_community_cannot_file_a_new_application,
     ("refused", ["below_95", "creation_period", "title_held", "veto_event"])),
    ("第十一条（二）", district_quota_over_separate_calls, ("refused", ["over_quota"])),
    ("第十一条（二）", district_ranking_shows_ties_and_refuses_skipping,
     ("refused", ["skipped_higher"])),
    ("第十一条（三）", city_assessment_before_the_end_of_year_two,
     ("refused", ["not_end_of_year_two"])),
    ("第十一条（三）", preliminary_list_within_the_city_quota_best_first,
     ("refused", ["over_city_quota"])),
    ("第十一条（四）", consultation_needs_recorded_opinions, ("refused", ["no_opinions"])),
    ("第十一条（五）", naming_after_formal_list_and_approval, ("named", [])),
    ("第十二条", re_examination_applied_in_year_one_and_kept, ("kept", [])),
    ("第十二条", failed_re_examination_loses_the_title, ("review_failed", [])),
    ("第十二条", title_lapses_when_year_one_passes_without_application, ("lapsed", [])),
    ("第十二条", re_examination_applied_in_year_two, ("refused", ["not_year_one", "title_ended"])),
    ("第十二条", no_cycle_configured, ("refused", ["no_cycle"])),
]


@pytest.mark.parametrize("article, scenario, expected", TABLE,
                         ids=[f"{a} {s.__name__}" for a, s, _ in TABLE])
def test_the_regulation_article_by_article(w, article, scenario, expected):
    assert scenario(w) == expected
