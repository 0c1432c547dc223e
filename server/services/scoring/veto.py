"""Veto events (一票否决, 第十条): recorded by street or district staff, scoped to the unit they
concern, corrected or withdrawn with a reason, never deleted.

Scope: an event of 第十条（一） is about the residential area's two committees (所属居民区两委班子
成员), so it bars every community of that residential area; the others bar the community they
were recorded on.

The window: an event on day E bars an application on day D when E <= D <= E + 12 months (it
lay in the 12 months before applying, both ends counted), so the community may apply again
from E + 12 months + 1 day. The same relativedelta arithmetic is used for both, so the answer
and the date it gives agree on month ends and leap days (event 2023-02-28: barred to
2024-02-28, eligible on 2024-02-29).

An event learned after the community applied, dated inside the window before its application,
stops it at its next stage (eligibility re-checks every stage); recording it tells the street
and the district at once.
"""
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, or_

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import AuditLog, Community, Participation, Staff, VetoEvent
from server.models.base import utcnow
from server.services import access, audit, notifications
from server.services.scoring import cache, clock
from server.services.scoring.articles import VETO_KINDS

VETO_MONTHS = 12
AREA_KINDS = ("committee_misconduct",)
# A new application still in the running: what a later-learned event can stop.
RUNNING = ("applied", "district_selected", "city_assessed", "preliminary", "consulted",
           "formal_candidate", "approved")


def barred_until(event_day):
    """The last day an event bars an application."""
    return event_day + relativedelta(months=VETO_MONTHS)


def clear_from(event_day):
    return barred_until(event_day) + timedelta(days=1)


def bars(event_day, application_day):
    return event_day <= application_day <= barred_until(event_day)


def concerning(community, include_withdrawn=False):
    """Events that concern a community: its own, and its residential area's."""
    query = db.select(VetoEvent).where(or_(
        VetoEvent.community_id == community.id,
        VetoEvent.residential_area_id == community.residential_area_id))
    if not include_withdrawn:
        query = query.where(VetoEvent.status == "active")
    return db.session.execute(query.order_by(VetoEvent.occurred_on.desc(), VetoEvent.id.desc())
                              ).scalars().all()


def barring(community, application_day):
    """Active events that bar an application made on `application_day`."""
    return [e for e in concerning(community) if bars(e.occurred_on, application_day)]


def _check_actor(actor):
    if actor.staff.role not in ("street", "district"):
        raise Forbidden("一票否决事项由街镇或区级工作人员登记", slug="street_or_district_only")


def _check_date(occurred_on):
    if occurred_on > clock.today():
        raise Invalid("事件日期不能晚于今天", slug="invalid_veto_event", details={"reasons": [
            {"code": "future_date", "message": "事件日期不能晚于今天"}]})


def _scope(event, community):
    event.residential_area_id = (community.residential_area_id if event.kind in AREA_KINDS
                                 else None)


def _snapshot(event):
    return {"kind": event.kind, "occurred_on": event.occurred_on.isoformat(),
            "note": event.note, "status": event.status,
            "residential_area_id": event.residential_area_id}


def record(actor, community, kind, occurred_on, note, evidence):
    _check_actor(actor)
    _check_date(occurred_on)
    event = VetoEvent(community_id=community.id, kind=kind, occurred_on=occurred_on,
                      note=note, evidence=list(evidence), recorded_by_id=actor.staff.id,
                      status="active")
    _scope(event, community)
    db.session.add(event)
    db.session.flush()
    audit.record(actor, "veto_event.record", event, None, _snapshot(event))
    _after_change(event)
    db.session.commit()
    return attach_history(event)


def _event_for(actor, community, event_id):
    event = db.session.get(VetoEvent, event_id)
    if event is None or event not in concerning(community, include_withdrawn=True):
        raise NotFound("未找到该事项", slug="veto_event_not_found")
    origin = db.session.get(Community, event.community_id)
    if not access.staff_sees_community(actor.staff, origin):
        raise NotFound("未找到该事项", slug="veto_event_not_found")
    return event, origin


def correct(actor, community, event_id, changes, reason):
    """Change the kind, date or note of an event; the reason and both versions are audited."""
    _check_actor(actor)
    event, origin = _event_for(actor, community, event_id)
    if event.status != "active":
        raise Conflict("该事项已撤销，不能更正", slug="veto_event_withdrawn")
    if changes.get("occurred_on") is not None:
        _check_date(changes["occurred_on"])
    before = _snapshot(event)
    for field in ("kind", "occurred_on", "note"):
        if changes.get(field) is not None:
            setattr(event, field, changes[field])
    _scope(event, origin)
    db.session.flush()
    audit.record(actor, "veto_event.correct", event, before, dict(_snapshot(event),
                                                                  reason=reason))
    _after_change(event)
    db.session.commit()
    return attach_history(event)


def withdraw(actor, community, event_id, reason):
    _check_actor(actor)
    event, _ = _event_for(actor, community, event_id)
    if event.status != "active":
        raise Conflict("该事项已撤销", slug="veto_event_withdrawn")
    before = _snapshot(event)
    event.status, event.withdrawn_reason = "withdrawn", reason
    event.withdrawn_by_id, event.withdrawn_at = actor.staff.id, utcnow()
    db.session.flush()
    audit.record(actor, "veto_event.withdraw", event, before, dict(_snapshot(event),
                                                                   reason=reason))
    cache.invalidate([c.id for c in _affected_communities(event)])
    db.session.commit()
    return attach_history(event)


def list_for(community):
    return [attach_history(e) for e in concerning(community, include_withdrawn=True)]


def attach_history(event):
    """The event with its audit trail (record, corrections, withdrawal) for the response."""
    rows = db.session.execute(db.select(AuditLog).where(
        AuditLog.object_type == "veto_events", AuditLog.object_id == str(event.id))
        .order_by(AuditLog.id)).scalars().all()
    event.history = [{"action": r.action.split(".", 1)[1], "at": r.at,
                      "by_staff_id": r.actor_staff_id, "before": r.before, "after": r.after}
                     for r in rows]
    return event


def _affected_communities(event):
    if event.residential_area_id is not None:
        return db.session.execute(db.select(Community).where(
            Community.residential_area_id == event.residential_area_id)).scalars().all()
    return [db.session.get(Community, event.community_id)]


def _after_change(event):
    """Tell the street and district of every application already filed that this event bars;
    the community stops at its next stage (eligibility re-checks it there)."""
    communities = _affected_communities(event)
    cache.invalidate([c.id for c in communities])
    by_id = {c.id: c for c in communities}
    running = db.session.execute(db.select(Participation).where(
        Participation.community_id.in_(list(by_id)), Participation.stage.in_(RUNNING),
        Participation.applied_on.is_not(None))).scalars().all()
    for part in running:
        if bars(event.occurred_on, part.applied_on):
            _notify(by_id[part.community_id], part, event)


def _notify(community, part, event):
    staff = db.session.execute(db.select(Staff).where(
        Staff.active.is_(True), or_(and_(Staff.role == "street",
                                         Staff.scope_unit_id == community.street_id),
                                    and_(Staff.role == "district",
                                         Staff.scope_unit_id == community.district_id)))
    ).scalars().all()
    body = (f"{community.name}已于 {part.applied_on.isoformat()} 申报，现登记 "
            f"{event.occurred_on.isoformat()} {VETO_KINDS[event.kind]}（一票否决，第十条），"
            "在申报前十二个月内，该小区在下一环节将不能继续。")
    for person in staff:
        notifications.notify_staff(
            person, "eligibility_changed", "小区申报资格变化", body,
            {"community": community.name, "status": "一票否决",
             "updated_at": clock.display(utcnow()),
             "note": VETO_KINDS[event.kind]}, community=community)
