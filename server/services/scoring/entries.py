"""Entered indicators (field inspection, material review): the committee's self-assessment,
then the street's and the district's review (agree, or change with a reason). Every entry and
change is audited and asks for a recompute."""
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import IndicatorEntry, Indicator
from server.models.base import utcnow
from server.models.scoring import ENTERED_METHODS
from server.services import access, audit
from server.services.scoring import clock, framework as frameworks, request_recompute


def _context(actor, community_id, code):
    community = access.community_for_staff(actor.staff, community_id)
    cycle = clock.current_cycle()
    if cycle is None:
        raise Conflict("当前没有进行中的创建周期", slug="no_cycle")
    fw = frameworks.for_cycle(cycle)
    indicator = None
    if fw is not None:
        indicator = db.session.execute(db.select(Indicator).filter_by(
            framework_id=fw.id, code=code)).scalar_one_or_none()
    if indicator is None:
        raise NotFound("未找到该指标", slug="indicator_not_found")
    if indicator.method not in ENTERED_METHODS:
        raise Conflict("该指标由系统根据问卷或群众监督数据计算，不能填报", slug="computed_indicator",
                       details={"method": indicator.method})
    entry = db.session.execute(db.select(IndicatorEntry).filter_by(
        community_id=community.id, cycle_id=cycle.id, indicator_id=indicator.id)
    ).scalar_one_or_none()
    return community, cycle, indicator, entry


def list_entries(actor, community_id):
    community = access.community_for_staff(actor.staff, community_id)
    cycle = clock.current_cycle()
    if cycle is None:
        return []
    return db.session.execute(db.select(IndicatorEntry).filter_by(
        community_id=community.id, cycle_id=cycle.id).order_by(IndicatorEntry.id)
    ).scalars().all()


def self_assess(actor, community_id, code, value, note, evidence):
    if actor.staff.role != "committee":
        raise Forbidden("自评由小区所属居委会填报", slug="committee_only")
    community, cycle, indicator, entry = _context(actor, community_id, code)
    stored = frameworks.check_entry_value(indicator, value)
    before = _snapshot(entry)
    if entry is None:
        entry = IndicatorEntry(community_id=community.id, cycle_id=cycle.id,
                               indicator_id=indicator.id, self_by_id=actor.staff.id)
        db.session.add(entry)
    elif stored != entry.self_value and (entry.street_decision or entry.district_decision):
        # A changed self-assessment is a new claim: earlier reviews no longer apply to it.
        _clear_reviews(entry)
    entry.self_value, entry.self_note, entry.evidence = stored, note, list(evidence)
    entry.self_by_id, entry.self_at = actor.staff.id, utcnow()
    db.session.flush()
    audit.record(actor, "indicator_entry.self_assess", entry, before, _snapshot(entry))
    request_recompute(community.id, "entry_changed")
    db.session.commit()
    return entry


def review(actor, community_id, code, decision, value, reason):
    level = actor.staff.role
    if level not in ("street", "district"):
        raise Forbidden("复核由街镇或区级工作人员办理", slug="street_or_district_only")
    community, cycle, indicator, entry = _context(actor, community_id, code)
    if entry is None:
        raise Conflict("居委会尚未自评该指标", slug="not_self_assessed")
    reasons = []
    if decision == "change":
        if value is None:
            reasons.append({"code": "value_required", "message": "调整时请填写复核后的等级或数值"})
        if not reason:
            reasons.append({"code": "reason_required", "message": "调整时请说明理由"})
    if reasons:
        raise Invalid("复核内容不完整", slug="invalid_review", details={"reasons": reasons})
    if decision == "change":
        stored = frameworks.check_entry_value(indicator, value)
    else:
        # Agreeing keeps the value under review: the street's, or the self-assessment.
        stored = (entry.street_value if level == "district" else None) or entry.self_value
    before = _snapshot(entry)
    setattr(entry, f"{level}_decision", decision)
    setattr(entry, f"{level}_value", stored)
    setattr(entry, f"{level}_reason", reason or "")
    setattr(entry, f"{level}_by_id", actor.staff.id)
    setattr(entry, f"{level}_at", utcnow())
    db.session.flush()
    audit.record(actor, f"indicator_entry.{level}_review", entry, before, _snapshot(entry))
    request_recompute(community.id, "entry_changed")
    db.session.commit()
    return entry


def _clear_reviews(entry):
    for level in ("street", "district"):
        setattr(entry, f"{level}_decision", None)
        setattr(entry, f"{level}_value", None)
        setattr(entry, f"{level}_reason", "")
        setattr(entry, f"{level}_by_id", None)
        setattr(entry, f"{level}_at", None)


def _snapshot(entry):
    if entry is None:
        return None
    return {"self_value": entry.self_value, "self_note": entry.self_note,
            "street": [entry.street_decision, entry.street_value, entry.street_reason],
            "district": [entry.district_decision, entry.district_value, entry.district_reason]}
