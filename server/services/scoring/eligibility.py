"""May a community apply today? Veto events (第十条) and every rule of an application, each
failing rule a reason with its date.

The 12-month window: an event on day E bars applications on every day D with
D - 12 months <= E <= D (the event lies in the 12 months before applying, both ends counted),
so the community may apply again from E + 12 months + 1 day. relativedelta keeps month ends
honest (an event on 2024-02-29 bars until 2025-02-28 inclusive).
"""
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from server.errors import Invalid
from server.extensions import db
from server.models import CommunityTitle, Participation, VetoEvent
from server.services import audit
from server.services.scoring import clock, compute

VETO_KINDS = {
    "committee_misconduct": "所属居民区两委班子成员严重违纪或违法犯罪",
    "major_crime": "发生重大刑事案件",
    "mass_incident": "发生重大群体性事件或重大舆情事件",
    "vice_or_cult": "发生影响恶劣的“黄赌毒”及涉黑涉恶案件、邪教或非法宗教活动等",
    "public_safety": "发生重大聚集性传染病事件或其他影响公共安全的事件",
}
VETO_MONTHS = 12
CREATION_YEARS = 3
THRESHOLD = Decimal("95")
APPLIED_OR_LATER = ("applied", "review_applied", "district_selected", "city_assessed",
                    "consulted", "named", "not_named", "title_kept", "title_lost")


def record_veto(actor, community, kind, occurred_on, note, evidence):
    if actor.staff.role not in ("street", "district"):
        from server.errors import Forbidden

        raise Forbidden("一票否决事项由街镇或区级工作人员登记", slug="street_or_district_only")
    if occurred_on > clock.today():
        raise Invalid("事件日期不能晚于今天", slug="invalid_veto_event", details={"reasons": [
            {"code": "future_date", "message": "事件日期不能晚于今天"}]})
    event = VetoEvent(community_id=community.id, kind=kind, occurred_on=occurred_on,
                      note=note, evidence=list(evidence), recorded_by_id=actor.staff.id)
    db.session.add(event)
    db.session.flush()
    audit.record(actor, "veto_event.record", event, None,
                 {"kind": kind, "occurred_on": occurred_on.isoformat(), "note": note})
    db.session.commit()
    return event


def veto_events(community_id):
    return db.session.execute(db.select(VetoEvent).filter_by(community_id=community_id)
                              .order_by(VetoEvent.occurred_on.desc(), VetoEvent.id.desc())
                              ).scalars().all()


def veto_clear_from(event_day):
    return event_day + relativedelta(months=VETO_MONTHS) + timedelta(days=1)


def title_held(community_id):
    return db.session.execute(db.select(CommunityTitle).where(
        CommunityTitle.community_id == community_id, CommunityTitle.lost_on.is_(None))
        .order_by(CommunityTitle.since.desc()).limit(1)).scalar_one_or_none()


def participation(cycle, community_id):
    return db.session.execute(db.select(Participation).filter_by(
        cycle_id=cycle.id, community_id=community_id)).scalar_one_or_none()


def check(community, on=None, self_score=None):
    """{eligible, kind, eligible_from, self_score, reasons}. `self_score` overrides the latest
    snapshot's self-assessed total (an application passes the one it just computed)."""
    on = on or clock.today()
    cycle = clock.current_cycle(on)
    title = title_held(community.id)
    kind = "review" if title is not None else "new"
    reasons = []
    if cycle is None:
        reasons.append({"code": "no_cycle", "message": "当前没有进行中的创建周期"})
        return _answer(kind, on, None, reasons, None)
    year = clock.cycle_year(cycle, on)
    if year != 1:
        nxt = date(cycle.end_year + 1, 1, 1)
        reasons.append({"code": "not_year_one", "eligible_from": nxt.isoformat(),
                        "message": f"申报仅限创建周期第一年（{cycle.start_year}年），"
                                   f"今年是第{year}年；下一周期自 {nxt.isoformat()} 起可申报"})
    part = participation(cycle, community.id)
    if part is not None and part.stage in APPLIED_OR_LATER:
        reasons.append({"code": "already_applied", "since": part.stage_since.isoformat(),
                        "message": f"本周期已申报（当前阶段：{part.stage}）"})
    if kind == "new":
        self_score = _new_application_rules(community, cycle, part, on, self_score, reasons)
    return _answer(kind, on, cycle, reasons, self_score)


def _new_application_rules(community, cycle, part, on, self_score, reasons):
    if part is None or part.stage not in ("self_assessed",) + APPLIED_OR_LATER:
        reasons.append({"code": "not_self_assessed", "message": "须先完成社区自评"})
    started = part.creation_started_on if part is not None else None
    if started is None:
        reasons.append({"code": "creation_not_started", "message": "尚未开始创建，需满三年创建期"})
    elif started + relativedelta(years=CREATION_YEARS) > on:
        ready = started + relativedelta(years=CREATION_YEARS)
        reasons.append({"code": "creation_period", "since": started.isoformat(),
                        "eligible_from": ready.isoformat(),
                        "message": f"创建期自 {started.isoformat()} 起未满三年，"
                                   f"{ready.isoformat()} 起满三年"})
    if self_score is None:
        snapshot = compute.latest_snapshot(community.id, cycle.id)
        self_score = Decimal(str(snapshot.self_total)) if snapshot is not None else None
    if self_score is None:
        reasons.append({"code": "no_score", "message": "尚无自评分，请先完成自评"})
    elif self_score < THRESHOLD:
        reasons.append({"code": "below_95", "score": float(self_score),
                        "message": f"自评分 {self_score:.2f} 分，未达到 95 分"})
    for event in veto_events(community.id):
        if on - relativedelta(months=VETO_MONTHS) <= event.occurred_on <= on:
            clear = veto_clear_from(event.occurred_on)
            reasons.append({"code": "veto_event", "kind": event.kind,
                            "since": event.occurred_on.isoformat(),
                            "eligible_from": clear.isoformat(),
                            "message": f"{event.occurred_on.isoformat()} {VETO_KINDS[event.kind]}"
                                       f"（一票否决），{clear.isoformat()} 起可再申报"})
    return self_score


def _answer(kind, on, cycle, reasons, self_score):
    dated = [r.get("eligible_from") for r in reasons]
    # A date only when every reason ends by a date; a score below 95 has none.
    eligible_from = max(dated) if dated and all(dated) else None
    return {"eligible": not reasons, "kind": kind, "on": on.isoformat(),
            "cycle_id": cycle.id if cycle else None,
            "self_score": float(self_score) if self_score is not None else None,
            "eligible_from": eligible_from, "reasons": reasons}
