"""The district's selection (区级申报, 第十一条（二）): within the quota the city office sends, the
best first.

The quota holds under concurrency: a selection locks its district's quota row (SELECT ... FOR
UPDATE on PostgreSQL) before counting who is already selected, so two officers of one district
selecting at once, or one selecting in several calls, cannot pass it together. Ranking is by
score (the latest reviewed total, summed exactly); equal scores share a rank and say so, and
the district picks among them - the regulation gives no tie-break, so the product invents none.
"""
from decimal import Decimal

from server.errors import Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import Community, CycleQuota, OrgUnit, Participation
from server.services import audit
from server.services.scoring import cache, clock, compute, eligibility
from server.services.scoring.cycle import get_cycle, quota_for, snapshot

SELECTED = ("district_selected", "city_assessed", "preliminary", "consulted",
            "formal_candidate", "approved", "named", "not_named")


def rank(rows, key="score"):
    """Competition ranking (1, 2, 2, 4) by `key`, best first, with a note on every tie."""
    rows.sort(key=lambda r: (-r[key], r["code"]))
    for row in rows:
        row["rank"] = 1 + sum(1 for other in rows if other[key] > row[key])
        tied = [r["name"] for r in rows if r is not row and r[key] == row[key]]
        row["tie_note"] = (f"与{'、'.join(tied)}同为 {row[key]:.2f} 分，并列第{row['rank']}名"
                           if tied else "")
    return rows


def candidates(actor, cycle_id, district_id=None):
    """A district's applicants ranked by score, each with its eligibility now; its quota."""
    cycle = get_cycle(cycle_id)
    district = _district_for(actor, district_id)
    today = clock.today()
    rows = db.session.execute(db.select(Participation, Community).join(Community).where(
        Participation.cycle_id == cycle.id, Community.district_id == district.id,
        Participation.stage.in_(("applied", "district_selected")))).all()
    ranked = []
    for part, community in rows:
        snap = compute.latest_snapshot(community.id, cycle.id)
        score = (compute.exact_total(snap)[0] if snap is not None
                 else part.applied_score or Decimal(0))
        answer = (eligibility.answer(community, today, "district_select")
                  if part.stage == "applied" else None)
        ranked.append({"community_id": community.id, "code": community.code,
                       "name": community.name, "stage": part.stage, "score": score,
                       "satisfaction_part": snap.satisfaction_part if snap else None,
                       "supervision_part": snap.supervision_part if snap else None,
                       "applied_on": part.applied_on,
                       "eligible": answer["eligible"] if answer else True,
                       "reasons": answer["reasons"] if answer else []})
    rank(ranked)
    selected = _selected_count(cycle.id, district.id)
    return {"cycle_id": cycle.id, "district_id": district.id,
            "quota": quota_for(cycle, district.id), "selected": selected,
            "candidates": ranked}


def _selected_count(cycle_id, district_id):
    return db.session.execute(db.select(db.func.count(Participation.id)).join(Community).where(
        Participation.cycle_id == cycle_id, Community.district_id == district_id,
        Participation.stage.in_(SELECTED))).scalar_one()


def _district_for(actor, district_id):
    staff = actor.staff
    if staff.role == "district":
        if district_id not in (None, staff.scope_unit_id):
            raise NotFound("未找到该区", slug="district_not_found")
        return staff.scope_unit
    if staff.role == "city" and district_id is not None:
        unit = db.session.get(OrgUnit, district_id)
        if unit is not None and unit.level == "district":
            return unit
        raise NotFound("未找到该区", slug="district_not_found")
    if staff.role == "city":
        raise Invalid("请指定区", slug="district_required", details={"reasons": [
            {"code": "district_required", "message": "市级查看时需指定 district_id"}]})
    raise Forbidden("区级择优申报由区文明办办理", slug="district_only")


def select(actor, cycle_id, community_ids):
    """The district submits its best applicants within its quota (择优申报)."""
    if actor.staff.role != "district":
        raise Forbidden("区级择优申报由区文明办办理", slug="district_only")
    cycle = get_cycle(cycle_id)
    district_id = actor.staff.scope_unit_id
    quota_row = db.session.execute(db.select(CycleQuota).where(
        CycleQuota.cycle_id == cycle.id, CycleQuota.district_id == district_id)
        .with_for_update()).scalar_one_or_none()
    # Read after the lock: a selection committed meanwhile is counted.
    ranking = candidates(actor, cycle_id)
    by_id = {r["community_id"]: r for r in ranking["candidates"]}
    chosen = list(dict.fromkeys(community_ids))
    reasons = []
    if quota_row is None:
        reasons.append({"code": "no_quota", "article": "第十一条（二）",
                        "message": "市精神文明办尚未下达本区名额"})
    elif ranking["selected"] + len(chosen) > quota_row.quota:
        reasons.append({"code": "over_quota", "article": "第十一条（二）",
                        "quota": quota_row.quota, "selected": ranking["selected"],
                        "message": f"本区名额为 {quota_row.quota} 个，已选送 "
                                   f"{ranking['selected']} 个，本次又选 {len(chosen)} 个"})
    for cid in chosen:
        row = by_id.get(cid)
        if row is None or row["stage"] != "applied":
            reasons.append({"code": "not_an_applicant", "community_id": cid,
                            "message": f"小区 {cid} 不是本区本周期待选送的申报小区"})
        elif not row["eligible"]:
            reasons.extend(dict(r, community_id=cid) for r in row["reasons"])
    picked = [by_id[c] for c in chosen if c in by_id and by_id[c]["stage"] == "applied"]
    if picked:
        lowest = min(r["score"] for r in picked)
        for row in ranking["candidates"]:
            if (row["community_id"] not in chosen and row["stage"] == "applied"
                    and row["eligible"] and row["score"] > lowest):
                reasons.append({"code": "skipped_higher", "article": "第十一条（二）",
                                "community_id": row["community_id"],
                                "message": f"{row['name']}（{compute.display(row['score']):.2f} 分）"
                                           f"高于已选小区的最低分 {compute.display(lowest):.2f}，"
                                           "应择优选送"})
    if reasons:
        raise Invalid("区级择优申报有误", slug="invalid_selection", details={"reasons": reasons})
    today = clock.today()
    for row in picked:
        part = eligibility.participation(cycle, row["community_id"])
        before = snapshot(part)
        part.stage, part.stage_since = "district_selected", today
        part.selection_rank, part.selection_note = row["rank"], row["tie_note"][:300]
        db.session.flush()
        audit.record(actor, "stage.district_select", part, before, snapshot(part))
    cache.invalidate([r["community_id"] for r in picked])
    db.session.commit()
    return candidates(actor, cycle_id)
