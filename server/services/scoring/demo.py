"""Demo data for the evaluation (part of `flask seed-demo`, idempotent): the illustrative
framework, the cycle that contains today, district quotas, a few communities at different
stages, a title under re-examination and one veto event to show eligibility dates."""
from datetime import date

from server.extensions import db
from server.models import (Community, CommunityTitle, CycleQuota, OrgUnit, Participation, Staff,
                           VetoEvent)
from server.services.scoring import clock, compute, cycle as cycles, framework

FIRST_CYCLE_START = 2025  # cycles run 2025-2027, 2028-2030, ...
QUOTAS = {"XH": 2, "JA": 1}
# community code -> stage, creation started, applied on
STAGES = {
    "XH-TP-001": ("district_selected", date(2021, 3, 1), date(2025, 5, 20)),
    "XH-TP-002": ("applied", date(2021, 9, 1), date(2025, 6, 3)),
    "XH-TP-003": ("creating", date(2024, 1, 15), None),
    "XH-HJ-001": ("self_assessed", date(2022, 4, 1), None),
    "XH-HJ-002": ("creating", date(2023, 2, 1), None),
    "JA-CJ-001": ("review_applied", None, date(2025, 4, 10)),
}
TITLED = {"JA-CJ-001": date(2022, 12, 28)}
VETO = ("XH-HJ-002", "public_safety", date(2026, 3, 1), "小区内发生燃气泄漏爆燃事件（演示数据）",
        "xh-hj-street")


def seed():
    fw = framework.ensure_default()
    today = clock.today()
    start = today.year - (today.year - FIRST_CYCLE_START) % 3
    cycle = cycles.ensure_cycle(start, fw)
    for code, quota in QUOTAS.items():
        district = db.session.execute(db.select(OrgUnit).filter_by(code=code)).scalar_one()
        if not any(q.district_id == district.id for q in cycle.quotas):
            cycle.quotas.append(CycleQuota(district_id=district.id, quota=quota))
    communities = {c.code: c for c in db.session.execute(db.select(Community)).scalars()}
    for code, since in TITLED.items():
        if not db.session.execute(db.select(CommunityTitle.id).filter_by(
                community_id=communities[code].id)).first():
            db.session.add(CommunityTitle(community_id=communities[code].id, since=since))
    for code, (stage, started, applied) in STAGES.items():
        if not db.session.execute(db.select(Participation.id).filter_by(
                cycle_id=cycle.id, community_id=communities[code].id)).first():
            db.session.add(Participation(
                cycle_id=cycle.id, community_id=communities[code].id, stage=stage,
                stage_since=applied or started or today, creation_started_on=started,
                creation_source="street_record" if started else None,
                creation_record="演示台账" if started else "",
                applied_on=applied, selection_rank=1 if stage == "district_selected" else None))
    code, kind, occurred, note, username = VETO
    db.session.flush()
    if not db.session.execute(db.select(VetoEvent.id).filter_by(
            community_id=communities[code].id, kind=kind, occurred_on=occurred)).first():
        staff = db.session.execute(db.select(Staff).filter_by(username=username)).scalar_one()
        db.session.add(VetoEvent(community_id=communities[code].id, kind=kind,
                                 occurred_on=occurred, note=note, evidence=[],
                                 recorded_by_id=staff.id))
    db.session.flush()
    # Scores to look at right away (commits; the seed is idempotent, so that is harmless).
    compute.recompute(None, "seed", cycle=cycle)
    return cycle
