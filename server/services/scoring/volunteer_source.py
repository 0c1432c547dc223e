"""The volunteers' source for the field-inspection indicators, shown beside the official one.

The official value of a field-inspection indicator is the committee's entry as reviewed by
the street and district (server/services/scoring/entries.py); it alone makes the score. The
volunteers' grades are a second, labelled source ("volunteer"): per indicator, how many drawn
points of submitted checklists in the cycle were graded A, B and C, and the median grade. The
score is never computed from them: a reviewer sees the two side by side and asks why when they
disagree."""
import sqlalchemy as sa

from server.extensions import db
from server.models import FieldInspection, Indicator, IndicatorEntry, InspectionItem
from server.models.inspection import GRADES
from server.services import access
from server.services.scoring import clock, framework as frameworks


def _volunteer_counts(community_id, cycle_id):
    submitted = (FieldInspection.community_id == community_id,
                 FieldInspection.cycle_id == cycle_id, FieldInspection.status == "submitted")
    rows = db.session.execute(
        db.select(InspectionItem.indicator_code, InspectionItem.grade,
                  sa.func.count(InspectionItem.id))
        .join(FieldInspection, FieldInspection.id == InspectionItem.inspection_id)
        .where(*submitted)
        .group_by(InspectionItem.indicator_code, InspectionItem.grade)).all()
    counts = {}
    for code, grade, points in rows:
        counts.setdefault(code, dict.fromkeys(GRADES, 0))[grade] = points
    inspections = dict(db.session.execute(
        db.select(InspectionItem.indicator_code,
                  sa.func.count(sa.distinct(InspectionItem.inspection_id)))
        .join(FieldInspection, FieldInspection.id == InspectionItem.inspection_id)
        .where(*submitted)
        .group_by(InspectionItem.indicator_code)).all())
    return counts, inspections


def median_grade(counts):
    """The grade of the middle point when all points are lined up A..C (the lower middle for
    an even number); None without points."""
    total = sum(counts.values())
    if not total:
        return None
    middle = (total + 1) // 2
    seen = 0
    for grade in GRADES:
        seen += counts[grade]
        if seen >= middle:
            return grade
    return None


def _official(entry):
    if entry is None:
        return {"source": "official", "label": "官方（居委会自评与街道、区审核）",
                "status": "not_entered", "grade": None, "value_from": None}
    used = entry.reviewed_value or entry.self_value
    return {"source": "official", "label": "官方（居委会自评与街道、区审核）", "status": "entered",
            "grade": used, "value_from": ("district_review" if entry.district_value else
                                          "street_review" if entry.street_value
                                          else "self_assessment")}


def _volunteer(counts, inspections):
    points = sum(counts.values()) if counts else 0
    return {"source": "volunteer", "label": "志愿监督员抽查（仅供参考，不计入得分）",
            "status": "graded" if points else "no_data", "grade": median_grade(counts or {}),
            "points": points, "counts": counts or dict.fromkeys(GRADES, 0),
            "inspections": inspections or 0}


def field_inspection_sources(actor, community_id):
    """Every field-inspection indicator of the current cycle's framework with its two
    sources side by side, for staff in scope."""
    community = access.community_for_staff(actor.staff, community_id)
    cycle = clock.current_cycle()
    framework = frameworks.for_cycle(cycle) if cycle is not None else None
    if framework is None:
        return {"community_id": community.id, "cycle_id": None, "indicators": []}
    indicators = db.session.execute(db.select(Indicator).filter_by(
        framework_id=framework.id, method="field_inspection").order_by(Indicator.position)
    ).scalars().all()
    entries = {e.indicator_id: e for e in db.session.execute(db.select(IndicatorEntry).where(
        IndicatorEntry.community_id == community.id, IndicatorEntry.cycle_id == cycle.id,
        IndicatorEntry.indicator_id.in_([i.id for i in indicators]))).scalars()}
    counts, inspections = _volunteer_counts(community.id, cycle.id)
    return {"community_id": community.id, "cycle_id": cycle.id, "indicators": [
        {"code": i.code, "name": i.name, "area": i.area, "weight": float(i.weight),
         "sources": [_official(entries.get(i.id)),
                     _volunteer(counts.get(i.code), inspections.get(i.code))]}
        for i in indicators]}
