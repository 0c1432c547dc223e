"""Cycles, district quotas and each community's stage: every move made by the right level,
checked against DOMAIN.md's rules, and audited.

Moves (action: who, from -> to):
  start_creating  committee/street  (none) | not_participating -> creating
  self_assess     committee         creating -> self_assessed
  apply           street            self_assessed -> applied          (eligibility.check)
  apply_review    street            titled, year 1 -> review_applied
  (selection)     district          applied -> district_selected      (select())
  city_assess     city              district_selected -> city_assessed (year 2, from 1 Oct)
  consult         city              city_assessed -> consulted
  name            city              consulted -> named                 (the title begins)
  not_name        city              city_assessed | consulted -> not_named
  keep_title      city              review_applied -> title_kept
  lose_title      city              review_applied -> title_lost       (the title ends)
"""
from datetime import date
from decimal import Decimal

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import (Community, CommunityTitle, Cycle, CycleQuota, Framework, OrgUnit,
                           Participation)
from server.services import access, audit
from server.services.scoring import clock, compute, eligibility

# action -> (roles allowed, stages it may start from, stage it ends in)
MOVES = {
    "start_creating": (("committee", "street"), (None, "not_participating"), "creating"),
    "self_assess": (("committee",), ("creating",), "self_assessed"),
    "apply": (("street",), ("self_assessed",), "applied"),
    "apply_review": (("street",), (None, "not_participating", "creating", "self_assessed"),
                     "review_applied"),
    "city_assess": (("city",), ("district_selected",), "city_assessed"),
    "consult": (("city",), ("city_assessed",), "consulted"),
    "name": (("city",), ("consulted",), "named"),
    "not_name": (("city",), ("city_assessed", "consulted"), "not_named"),
    "keep_title": (("city",), ("review_applied",), "title_kept"),
    "lose_title": (("city",), ("review_applied",), "title_lost"),
}
CITY_ASSESSMENT_FROM = (10, 1)  # "the end of year 2": its last quarter
LEVEL_NAMES = {"committee": "居委会", "street": "街镇", "district": "区", "city": "市文明办"}


def create_cycle(actor, start_year, name=None, framework_version=None):
    if actor.staff.role != "city":
        raise Forbidden("创建周期由市精神文明办设定", slug="city_only")
    fw = None
    if framework_version:
        fw = db.session.execute(db.select(Framework).filter_by(
            version=framework_version)).scalar_one_or_none()
        if fw is None:
            raise Invalid("未找到该测评体系版本", slug="invalid_cycle", details={"reasons": [
                {"code": "unknown_framework", "message": f"未找到版本 {framework_version}"}]})
    overlapping = db.session.execute(db.select(Cycle).where(
        Cycle.start_year <= start_year + 2, Cycle.end_year >= start_year)).scalars().all()
    if overlapping:
        raise Conflict("与已有周期重叠", slug="cycle_overlaps", details={"reasons": [
            {"code": "cycle_overlaps", "message": f"与 {c.name} 重叠"} for c in overlapping]})
    cycle = Cycle(start_year=start_year, end_year=start_year + 2,
                  name=name or f"{start_year}—{start_year + 2}年创建周期", framework=fw,
                  created_by_id=actor.staff.id)
    db.session.add(cycle)
    db.session.flush()
    audit.record(actor, "cycle.create", cycle, None, {"start_year": start_year,
                                                      "framework": framework_version})
    db.session.commit()
    return cycle


def ensure_cycle(start_year, framework=None):
    """For seeding: the cycle starting in `start_year`, created if missing."""
    cycle = db.session.execute(db.select(Cycle).filter_by(
        start_year=start_year)).scalar_one_or_none()
    if cycle is None:
        cycle = Cycle(start_year=start_year, end_year=start_year + 2,
                      name=f"{start_year}—{start_year + 2}年创建周期", framework=framework)
        db.session.add(cycle)
        db.session.flush()
    return cycle


def list_cycles():
    return db.session.execute(db.select(Cycle).order_by(Cycle.start_year.desc())).scalars().all()


def get_cycle(cycle_id):
    cycle = db.session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFound("未找到该创建周期", slug="cycle_not_found")
    return cycle


def set_quotas(actor, cycle_id, quotas):
    if actor.staff.role != "city":
        raise Forbidden("名额由市精神文明办下达", slug="city_only")
    cycle = get_cycle(cycle_id)
    reasons = []
    for entry in quotas:
        unit = db.session.get(OrgUnit, entry["district_id"])
        if unit is None or unit.level != "district":
            reasons.append({"code": "not_a_district", "district_id": entry["district_id"],
                            "message": f"{entry['district_id']} 不是区"})
    if reasons:
        raise Invalid("名额设置有误", slug="invalid_quotas", details={"reasons": reasons})
    existing = {q.district_id: q for q in cycle.quotas}
    before = {str(k): q.quota for k, q in existing.items()}
    for entry in quotas:
        row = existing.get(entry["district_id"])
        if row is None:
            cycle.quotas.append(CycleQuota(district_id=entry["district_id"], quota=entry["quota"]))
        else:
            row.quota = entry["quota"]
    db.session.flush()
    audit.record(actor, "cycle.quotas", cycle, before,
                 {str(q.district_id): q.quota for q in cycle.quotas})
    db.session.commit()
    return cycle


def quota_for(cycle, district_id):
    return next((q.quota for q in cycle.quotas if q.district_id == district_id), None)


def move(actor, community_id, action, creation_started_on=None, score=None, note=""):
    community = access.community_for_staff(actor.staff, community_id)
    roles, sources, target = MOVES[action]
    if actor.staff.role not in roles:
        raise Forbidden("该环节应由%s办理" % "或".join(LEVEL_NAMES[r] for r in roles),
                        slug="wrong_level", details={"allowed": list(roles)})
    today = clock.today()
    cycle = clock.current_cycle(today)
    if cycle is None:
        raise Conflict("当前没有进行中的创建周期", slug="no_cycle")
    part = eligibility.participation(cycle, community.id)
    current = part.stage if part is not None else None
    if current not in sources:
        raise Conflict(f"当前阶段（{current or '未参与'}）不能办理此环节", slug="stage_conflict",
                       details={"stage": current, "allowed_from": [s for s in sources if s]})
    if part is None:
        part = Participation(cycle_id=cycle.id, community_id=community.id,
                             stage="not_participating", stage_since=today,
                             creation_started_on=_carried_creation_start(community.id))
        db.session.add(part)
    before = _snapshot(part)
    _RULES[action](actor, community, cycle, part, today,
                   {"creation_started_on": creation_started_on, "score": score, "note": note})
    part.stage, part.stage_since = target, today
    if note:
        part.note = note
    db.session.flush()
    audit.record(actor, f"stage.{action}", part, before, _snapshot(part))
    db.session.commit()
    return part


def _carried_creation_start(community_id):
    # Creation years run on across cycles: a community keeps the date it first started.
    return db.session.execute(db.select(db.func.min(Participation.creation_started_on)).where(
        Participation.community_id == community_id)).scalar()


def _start(actor, community, cycle, part, today, args):
    started = args["creation_started_on"] or part.creation_started_on or today
    if started > today:
        raise _invalid("future_date", "创建开始日期不能晚于今天")
    part.creation_started_on = started


def _self_assess(actor, community, cycle, part, today, args):
    compute.recompute([community.id], reason="self_assessed", cycle=cycle, on=today)


def _apply(actor, community, cycle, part, today, args):
    compute.recompute([community.id], reason="application", cycle=cycle, on=today)
    snapshot = compute.latest_snapshot(community.id, cycle.id)
    score = Decimal(str(snapshot.self_total)) if snapshot is not None else None
    answer = eligibility.check(community, today, self_score=score)
    if not answer["eligible"]:
        raise Invalid("不符合申报条件", slug="not_eligible", details={
            "reasons": answer["reasons"], "eligible_from": answer["eligible_from"]})
    part.applied_on, part.applied_score = today, score
    part.applied_snapshot_id = snapshot.id


def _apply_review(actor, community, cycle, part, today, args):
    reasons = []
    if eligibility.title_held(community.id) is None:
        reasons.append({"code": "no_title", "message": "未持有上海市文明小区称号，应按新申报办理"})
    if clock.cycle_year(cycle, today) != 1:
        reasons.append({"code": "not_year_one",
                        "message": f"复查申请仅限创建周期第一年（{cycle.start_year}年）"})
    if reasons:
        raise Invalid("不符合复查申请条件", slug="not_eligible", details={"reasons": reasons})
    part.applied_on = today


def _city_assess(actor, community, cycle, part, today, args):
    reasons = []
    opens = date(cycle.start_year + 1, *CITY_ASSESSMENT_FROM)
    if not opens <= today <= date(cycle.start_year + 1, 12, 31):
        reasons.append({"code": "not_end_of_year_two", "eligible_from": opens.isoformat(),
                        "message": f"市级考核在周期第二年末进行（{opens.isoformat()} 至 "
                                   f"{cycle.start_year + 1}-12-31）"})
    score = args["score"]
    if score is None:
        reasons.append({"code": "score_required", "message": "请填写市级测评成绩（0–100）"})
    if reasons:
        raise Invalid("不能登记市级考核", slug="invalid_city_assessment",
                      details={"reasons": reasons})
    part.city_score = Decimal(str(score)).quantize(Decimal("0.01"))


def _nothing(actor, community, cycle, part, today, args):
    pass


def _name(actor, community, cycle, part, today, args):
    db.session.add(CommunityTitle(community_id=community.id, named_in_cycle_id=cycle.id,
                                  since=today))


def _not_name(actor, community, cycle, part, today, args):
    if not args["note"]:
        raise _invalid("reason_required", "请填写未命名的原因")


def _lose_title(actor, community, cycle, part, today, args):
    if not args["note"]:
        raise _invalid("reason_required", "请填写复查未通过的原因")
    title = eligibility.title_held(community.id)
    if title is not None:
        title.lost_on = today


_RULES = {"start_creating": _start, "self_assess": _self_assess, "apply": _apply,
          "apply_review": _apply_review, "city_assess": _city_assess, "consult": _nothing,
          "name": _name, "not_name": _not_name, "keep_title": _nothing,
          "lose_title": _lose_title}


def _invalid(code, message):
    return Invalid(message, slug="invalid_stage_move",
                   details={"reasons": [{"code": code, "message": message}]})


def _snapshot(part):
    return {"stage": part.stage, "creation_started_on": _iso(part.creation_started_on),
            "applied_on": _iso(part.applied_on),
            "applied_score": float(part.applied_score) if part.applied_score is not None else None,
            "city_score": float(part.city_score) if part.city_score is not None else None,
            "selection_rank": part.selection_rank}


def _iso(day):
    return day.isoformat() if day else None


# --- district selection --------------------------------------------------------------------

def candidates(actor, cycle_id, district_id=None):
    """A district's applicants ranked by score, ties explained; with its quota."""
    cycle = get_cycle(cycle_id)
    district = _district_for(actor, district_id)
    rows = db.session.execute(db.select(Participation, Community).join(Community).where(
        Participation.cycle_id == cycle.id, Community.district_id == district.id,
        Participation.stage.in_(("applied", "district_selected")))).all()
    ranked = []
    for part, community in rows:
        snap = compute.latest_snapshot(community.id, cycle.id)
        total = Decimal(str(snap.total if snap is not None else part.applied_score or 0))
        sat = Decimal(str(snap.satisfaction_part or 0)) if snap is not None else Decimal(0)
        sup = Decimal(str(snap.supervision_part or 0)) if snap is not None else Decimal(0)
        ranked.append({"community_id": community.id, "code": community.code,
                       "name": community.name, "stage": part.stage, "score": total,
                       "satisfaction_part": sat, "supervision_part": sup,
                       "applied_on": part.applied_on})
    ranked.sort(key=lambda r: (-r["score"], -r["satisfaction_part"], -r["supervision_part"],
                               r["applied_on"] or date.max, r["code"]))
    for rank, row in enumerate(ranked, start=1):
        row["rank"] = rank
        row["tie_note"] = _tie_note(row, ranked)
    return {"cycle_id": cycle.id, "district_id": district.id,
            "quota": quota_for(cycle, district.id), "candidates": ranked}


def _tie_note(row, ranked):
    tied = [r for r in ranked if r is not row and r["score"] == row["score"]]
    if not tied:
        return ""
    names = "、".join(r["name"] for r in tied)
    return (f"与{names}同为 {row['score']:.2f} 分；同分时依次比较群众满意度得分"
            f"（{row['satisfaction_part']:.2f}）、群众监督得分（{row['supervision_part']:.2f}）、"
            "申报日期先后、小区代码")


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
    ranking = candidates(actor, cycle_id)
    cycle, quota = get_cycle(cycle_id), ranking["quota"]
    by_id = {r["community_id"]: r for r in ranking["candidates"]}
    chosen = list(dict.fromkeys(community_ids))
    reasons = []
    if quota is None:
        reasons.append({"code": "no_quota", "message": "市精神文明办尚未下达本区名额"})
    elif len(chosen) > quota:
        reasons.append({"code": "over_quota", "quota": quota, "selected": len(chosen),
                        "message": f"本区名额为 {quota} 个，选送了 {len(chosen)} 个"})
    for cid in chosen:
        row = by_id.get(cid)
        if row is None or row["stage"] != "applied":
            reasons.append({"code": "not_an_applicant", "community_id": cid,
                            "message": f"小区 {cid} 不是本区本周期待选送的申报小区"})
    picked = [by_id[c] for c in chosen if c in by_id]
    if picked:
        lowest = min(r["score"] for r in picked)
        for row in ranking["candidates"]:
            if row["community_id"] not in chosen and row["score"] > lowest:
                reasons.append({"code": "skipped_higher", "community_id": row["community_id"],
                                "message": f"{row['name']}（{row['score']:.2f} 分）高于已选小区的"
                                           f"最低分 {lowest:.2f}，应择优选送"})
    if clock.cycle_year(cycle, clock.today()) not in (1, 2):
        reasons.append({"code": "outside_cycle", "message": "区级申报须在周期第一、二年内进行"})
    if reasons:
        raise Invalid("区级择优申报有误", slug="invalid_selection", details={"reasons": reasons})
    today = clock.today()
    for row in picked:
        part = eligibility.participation(cycle, row["community_id"])
        before = _snapshot(part)
        part.stage, part.stage_since = "district_selected", today
        part.selection_rank, part.selection_note = row["rank"], row["tie_note"][:300]
        db.session.flush()
        audit.record(actor, "stage.district_select", part, before, _snapshot(part))
    db.session.commit()
    return candidates(actor, cycle_id)
