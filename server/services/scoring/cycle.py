"""Cycles, quotas, and each community's stage: every move made by the right level, checked by
eligibility.answer for its stage (so what became known since the last move counts), and
audited. The district's selection is selection.py; the city's lists and opinions city.py.

Moves (action: who, from -> to; the eligibility stage asked):
  start_creating  committee/street  (none) | not_participating -> creating
  self_assess     street            creating -> self_assessed    (the street's assessment, 第十一条（一）)
  apply           street            self_assessed -> applied      ("apply")
  apply_review    street            (not applied) -> review_applied ("apply_review")
  (selection)     district          applied -> district_selected  (selection.py)
  city_assess     city              district_selected -> city_assessed ("city_assess", a score)
  (preliminary)   city              city_assessed -> preliminary  (city.py, city quota)
  consult         city              preliminary -> consulted      ("consult", opinions recorded)
  (formal list)   city              consulted -> formal_candidate (city.py)
  (approval)      city              formal_candidate -> approved  (city.py, 市文明委审议)
  name            city              approved -> named             ("name"; the title begins)
  not_name        city              city_assessed .. approved -> not_named (a reason)
  keep_title      city              review_applied -> title_kept  ("re_examine", a city score)
  lose_title      city              review_applied -> title_lost  ("re_examine", a city score)
"""
from decimal import Decimal

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import CityDecision, Cycle, Framework, OrgUnit, Participation
from server.services import access, audit
from server.services.scoring import cache, clock, compute, eligibility, titles

CITY_RUNNING = ("city_assessed", "preliminary", "consulted", "formal_candidate", "approved")
# action -> (roles allowed, stages it may start from, stage it ends in, eligibility stage)
MOVES = {
    "start_creating": (("committee", "street"), (None, "not_participating"), "creating", None),
    "self_assess": (("street",), ("creating",), "self_assessed", None),
    "apply": (("street",), ("self_assessed",), "applied", "apply"),
    "apply_review": (("street",), (None, "not_participating", "creating", "self_assessed"),
                     "review_applied", "apply_review"),
    "city_assess": (("city",), ("district_selected",), "city_assessed", "city_assess"),
    "consult": (("city",), ("preliminary",), "consulted", "consult"),
    "name": (("city",), ("approved",), "named", "name"),
    "not_name": (("city",), CITY_RUNNING, "not_named", None),
    "keep_title": (("city",), ("review_applied",), "title_kept", "re_examine"),
    "lose_title": (("city",), ("review_applied",), "title_lost", "re_examine"),
}
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


def get_cycle(cycle_id, lock=False):
    query = db.select(Cycle).where(Cycle.id == cycle_id)
    if lock:
        # The city's lists count against the city quota: one writer at a time (PostgreSQL).
        query = query.with_for_update()
    cycle = db.session.execute(query).scalar_one_or_none()
    if cycle is None:
        raise NotFound("未找到该创建周期", slug="cycle_not_found")
    return cycle


def set_quotas(actor, cycle_id, quotas, city_quota=None):
    """District quotas (第十一条（二）: 市精神文明办下发名额) and the city's own (第十一条（三）)."""
    from server.models import CycleQuota

    if actor.staff.role != "city":
        raise Forbidden("名额由市精神文明办下达", slug="city_only")
    cycle = get_cycle(cycle_id)
    reasons = []
    for entry in quotas:
        unit = db.session.get(OrgUnit, entry["district_id"])
        if unit is None or unit.level != "district":
            reasons.append({"code": "not_a_district", "district_id": entry["district_id"],
                            "message": f"{entry['district_id']} 不是区"})
    if not quotas and city_quota is None:
        reasons.append({"code": "nothing_to_set", "message": "请填写区级名额或全市名额"})
    if reasons:
        raise Invalid("名额设置有误", slug="invalid_quotas", details={"reasons": reasons})
    existing = {q.district_id: q for q in cycle.quotas}
    before = {"districts": {str(k): q.quota for k, q in existing.items()},
              "city": cycle.city_quota}
    for entry in quotas:
        row = existing.get(entry["district_id"])
        if row is None:
            cycle.quotas.append(CycleQuota(district_id=entry["district_id"], quota=entry["quota"]))
        else:
            row.quota = entry["quota"]
    if city_quota is not None:
        cycle.city_quota = city_quota
    db.session.flush()
    audit.record(actor, "cycle.quotas", cycle, before, {
        "districts": {str(q.district_id): q.quota for q in cycle.quotas},
        "city": cycle.city_quota})
    db.session.commit()
    return cycle


def quota_for(cycle, district_id):
    return next((q.quota for q in cycle.quotas if q.district_id == district_id), None)


def not_eligible(answer):
    return Invalid("不符合本环节条件", slug="not_eligible", details={
        "stage": answer["stage"], "reasons": answer["reasons"],
        "eligible_from": answer["eligible_from"]})


def move(actor, community_id, action, score=None, note=""):
    roles, sources, target, stage = MOVES[action]
    # The level first: a move this level never makes is 403 whatever the community, and only
    # then is a community outside the scope 404 (tests/api/authz_matrix.csv).
    if actor.staff.role not in roles:
        raise Forbidden("该环节应由%s办理" % "或".join(LEVEL_NAMES[r] for r in roles),
                        slug="wrong_level", details={"allowed": list(roles)})
    community = access.community_for_staff(actor.staff, community_id)
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
                             stage="not_participating", stage_since=today)
        _carry_creation_start(part)
        db.session.add(part)
    if action == "apply":
        # The gate reads the street's total as of now, not as of the last recompute.
        compute.recompute([community.id], reason="application", cycle=cycle, on=today)
    if stage is not None:
        answer = eligibility.answer(community, today, stage)
        if not answer["eligible"]:
            raise not_eligible(answer)
    before = snapshot(part)
    _RULES[action](actor, community, cycle, part, today, {"score": score, "note": note})
    part.stage, part.stage_since = target, today
    if note:
        part.note = note
    db.session.flush()
    audit.record(actor, f"stage.{action}", part, before, snapshot(part))
    cache.invalidate([community.id])
    db.session.commit()
    return part


def _carry_creation_start(part):
    # Creation years run on across cycles: a community keeps the date of its latest
    # participation (as the street last confirmed it), and where that date came from.
    earlier = db.session.execute(db.select(Participation).where(
        Participation.community_id == part.community_id,
        Participation.creation_started_on.is_not(None))
        .order_by(Participation.id.desc()).limit(1)).scalar_one_or_none()
    if earlier is not None:
        part.creation_started_on = earlier.creation_started_on
        part.creation_source = earlier.creation_source
        part.creation_record = earlier.creation_record


def _start(actor, community, cycle, part, today, args):
    # The first stage the system sees starts the creation period, unless the street has
    # confirmed an earlier start from a record (confirm_creation_start).
    if part.creation_started_on is None:
        part.creation_started_on, part.creation_source = today, "first_stage"


def _self_assess(actor, community, cycle, part, today, args):
    """The street assesses the values the committee prepared and submits the result."""
    compute.recompute([community.id], reason="self_assessed", cycle=cycle, on=today)
    snap = compute.latest_snapshot(community.id, cycle.id)
    missing = compute.exact_total(snap, "street_points")[1] if snap is not None else []
    if snap is None or missing:
        raise Invalid("街镇尚未评定全部填报指标", slug="not_street_assessed", details={
            "reasons": [{"code": "not_street_assessed", "article": "第十一条（一）",
                         "indicators": missing,
                         "message": "请先复核（同意或调整）以下指标：" + "、".join(missing)}]})


def _apply(actor, community, cycle, part, today, args):
    snap = compute.latest_snapshot(community.id, cycle.id)
    part.applied_on = today
    part.applied_score = compute.exact_total(snap, "street_points")[0].quantize(compute.CENT)
    part.applied_snapshot_id = snap.id


def _apply_review(actor, community, cycle, part, today, args):
    part.applied_on = today


def _require_score(args, what):
    if args["score"] is None:
        raise _invalid("score_required", f"请填写{what}（0–100）")
    return Decimal(str(args["score"])).quantize(compute.CENT)


def _city_assess(actor, community, cycle, part, today, args):
    part.city_score = _require_score(args, "市级测评成绩")


def _consult(actor, community, cycle, part, today, args):
    opinions = db.session.execute(db.select(db.func.count(CityDecision.id)).where(
        CityDecision.participation_id == part.id, CityDecision.step == "opinion")).scalar_one()
    if not opinions:
        raise _invalid("no_opinions", "尚未登记市级职能部门意见（第十一条（四））")
    decide(actor, part, "consulted", "in", today, note=args["note"])


def _name(actor, community, cycle, part, today, args):
    titles.grant(community.id, cycle, today)
    decide(actor, part, "naming", "in", today, note=args["note"])


def _not_name(actor, community, cycle, part, today, args):
    if not args["note"]:
        raise _invalid("reason_required", "请填写未命名的原因")
    decide(actor, part, "not_named", "out", today, note=args["note"])


def _re_examine(passed):
    def rule(actor, community, cycle, part, today, args):
        part.city_score = _require_score(args, "市级复查成绩")
        if not passed and not args["note"]:
            raise _invalid("reason_required", "请填写复查未通过的原因")
        title = titles.held(community.id, today)
        if passed:
            titles.keep(title, cycle, today)
        else:
            titles.lose(title, today)
        decide(actor, part, "re_examination", "passed" if passed else "failed", today,
               note=args["note"])
    return rule


_RULES = {"start_creating": _start, "self_assess": _self_assess, "apply": _apply,
          "apply_review": _apply_review, "city_assess": _city_assess, "consult": _consult,
          "name": _name, "not_name": _not_name, "keep_title": _re_examine(True),
          "lose_title": _re_examine(False)}


def decide(actor, part, step, outcome, on, note="", department=""):
    """Record one of the city's steps for a participation: who, when, what."""
    decision = CityDecision(participation_id=part.id, step=step, outcome=outcome,
                            department=department, note=note or "", decided_on=on,
                            decided_by_id=actor.staff.id)
    db.session.add(decision)
    return decision


def _invalid(code, message):
    return Invalid(message, slug="invalid_stage_move",
                   details={"reasons": [{"code": code, "message": message}]})


def snapshot(part):
    return {"stage": part.stage, "creation_started_on": _iso(part.creation_started_on),
            "creation_source": part.creation_source,
            "applied_on": _iso(part.applied_on),
            "applied_score": float(part.applied_score) if part.applied_score is not None else None,
            "city_score": float(part.city_score) if part.city_score is not None else None,
            "selection_rank": part.selection_rank}


def _iso(day):
    return day.isoformat() if day else None


def confirm_creation_start(actor, community_id, started_on, record, reason):
    """The street sets the creation start from a record it confirms (第十条: 三年的创建期).
    Every change is audited with the record and the reason."""
    if actor.staff.role != "street":
        raise Forbidden("创建开始日期由街镇依据台账确认", slug="street_only")
    community = access.community_for_staff(actor.staff, community_id)
    today = clock.today()
    if started_on > today:
        raise _invalid("future_date", "创建开始日期不能晚于今天")
    cycle = clock.current_cycle(today)
    if cycle is None:
        raise Conflict("当前没有进行中的创建周期", slug="no_cycle")
    part = eligibility.participation(cycle, community.id)
    if part is None:
        part = Participation(cycle_id=cycle.id, community_id=community.id, stage="creating",
                             stage_since=today)
        db.session.add(part)
    before = snapshot(part)
    before["creation_record"] = part.creation_record
    part.creation_started_on, part.creation_source = started_on, "street_record"
    part.creation_record = record
    db.session.flush()
    audit.record(actor, "stage.creation_start", part, before,
                 dict(snapshot(part), creation_record=record, reason=reason))
    cache.invalidate([community.id])
    db.session.commit()
    return part
