"""The city's part (第十一条（三）–（五）) as recorded decisions, each with who and when:

  preliminary  city_assessed -> preliminary: 按照既定名额，以测评成绩为主要依据，择优确定初步候选名单
               (the city quota holds under concurrency: the cycle row is locked first)
  opinion      a city department's opinion on a preliminary candidate (agree | object)
  consulted    the consultation closed (cycle.move "consult": needs at least one opinion)
  formal       consulted -> formal_candidate: 正式候选名单 (a community a department objected to
               is refused unless the decision gives the reason it is kept)
  approval     formal_candidate -> approved: 报请市文明委审议通过 (the meeting in `note`)
  naming       approved -> named (cycle.move "name")

Every step re-checks eligibility for its stage, so a veto event learned late stops it here.
"""
from server.errors import Conflict, Forbidden, Invalid
from server.extensions import db
from server.models import CityDecision, Community, Participation
from server.services import access, audit
from server.services.scoring import cache, clock, eligibility
from server.services.scoring.cycle import decide, get_cycle, snapshot
from server.services.scoring.selection import rank

# step -> (from stage, to stage, eligibility stage, article)
LISTS = {
    "preliminary": ("city_assessed", "preliminary", "preliminary", "第十一条（三）"),
    "formal": ("consulted", "formal_candidate", "formal", "第十一条（五）"),
    "approval": ("formal_candidate", "approved", "approve", "第十一条（五）"),
}
ON_LIST = ("preliminary", "consulted", "formal_candidate", "approved", "named")


def _city_only(actor):
    if actor.staff.role != "city":
        raise Forbidden("该环节由市精神文明办办理", slug="city_only")


def ranking(actor, cycle_id):
    """Every community the city assessed in the cycle, ranked by city score, ties shown,
    with its stage, its eligibility for its next step and the city quota."""
    _city_only(actor)
    cycle = get_cycle(cycle_id)
    today = clock.today()
    rows = db.session.execute(db.select(Participation, Community).join(Community).where(
        Participation.cycle_id == cycle.id, Participation.city_score.is_not(None),
        Participation.stage.in_(("city_assessed", "not_named") + ON_LIST))).all()
    ranked = []
    for part, community in rows:
        answer = eligibility.answer(community, today)
        ranked.append({"community_id": community.id, "code": community.code,
                       "name": community.name, "stage": part.stage, "score": part.city_score,
                       "applied_on": part.applied_on, "eligible": answer["eligible"],
                       "reasons": answer["reasons"], "decisions": decisions_of(part.id)})
    rank(ranked)
    return {"cycle_id": cycle.id, "city_quota": cycle.city_quota,
            "on_list": _on_list(cycle.id), "candidates": ranked}


def _on_list(cycle_id):
    return db.session.execute(db.select(db.func.count(Participation.id)).where(
        Participation.cycle_id == cycle_id, Participation.stage.in_(ON_LIST))).scalar_one()


def decide_list(actor, cycle_id, step, community_ids, note=""):
    """Put communities on the preliminary list, the formal candidate list, or record the city
    committee's approval of them."""
    _city_only(actor)
    source, target, stage, article = LISTS[step]
    cycle = get_cycle(cycle_id, lock=True)
    today = clock.today()
    chosen = list(dict.fromkeys(community_ids))
    reasons = []
    parts = {}
    for cid in chosen:
        community = db.session.get(Community, cid)
        part = eligibility.participation(cycle, cid) if community is not None else None
        if part is None or part.stage != source:
            reasons.append({"code": "wrong_stage", "community_id": cid,
                            "message": f"小区 {cid} 不在可列入该名单的阶段"})
            continue
        answer = eligibility.answer(community, today, stage)
        reasons.extend(dict(r, community_id=cid) for r in answer["reasons"])
        parts[cid] = (community, part)
    if step == "preliminary":
        reasons.extend(_preliminary_rules(cycle, parts, article))
    if step == "formal":
        reasons.extend(_objections(parts, note))
    if step == "approval" and not note:
        reasons.append({"code": "meeting_required", "article": article,
                        "message": "请在 note 中注明市文明委审议的会议或文件"})
    if reasons:
        raise Invalid("名单有误", slug="invalid_city_list", details={"reasons": reasons})
    for community, part in parts.values():
        before = snapshot(part)
        part.stage, part.stage_since = target, today
        decide(actor, part, step, "in", today, note=note)
        db.session.flush()
        audit.record(actor, f"stage.{step}", part, before, snapshot(part))
    cache.invalidate(list(parts))
    db.session.commit()
    return ranking(actor, cycle_id)


def _preliminary_rules(cycle, parts, article):
    reasons = []
    already = _on_list(cycle.id)
    if cycle.city_quota is None:
        reasons.append({"code": "no_city_quota", "article": article,
                        "message": "尚未设定本周期全市名额"})
    elif already + len(parts) > cycle.city_quota:
        reasons.append({"code": "over_city_quota", "article": article,
                        "quota": cycle.city_quota, "selected": already,
                        "message": f"全市名额为 {cycle.city_quota} 个，已列入 {already} 个，"
                                   f"本次又列 {len(parts)} 个"})
    if parts:
        lowest = min(p.city_score for _, p in parts.values())
        waiting = db.session.execute(db.select(Participation, Community).join(Community).where(
            Participation.cycle_id == cycle.id, Participation.stage == "city_assessed",
            Participation.city_score > lowest,
            Participation.community_id.not_in(list(parts)))).all()
        today = clock.today()
        for part, community in waiting:
            if eligibility.answer(community, today, "preliminary")["eligible"]:
                reasons.append({"code": "skipped_higher", "article": article,
                                "community_id": community.id,
                                "message": f"{community.name}（{part.city_score:.2f} 分）高于"
                                           f"已选小区的最低分 {lowest:.2f}，应择优确定"})
    return reasons


def _objections(parts, note):
    reasons = []
    for cid, (community, part) in parts.items():
        objected = db.session.execute(db.select(CityDecision).where(
            CityDecision.participation_id == part.id, CityDecision.step == "opinion",
            CityDecision.outcome == "object")).scalars().all()
        if objected and not note:
            reasons.append({"code": "department_objected", "article": "第十一条（五）",
                            "community_id": cid,
                            "message": f"{community.name}有部门提出异议（"
                                       f"{'、'.join(o.department for o in objected)}），"
                                       "列入正式候选名单须在 note 中说明理由"})
    return reasons


def record_opinion(actor, community_id, department, opinion, note):
    """A city department's opinion on a preliminary candidate (第十一条（四）)."""
    _city_only(actor)
    community = access.community_for_staff(actor.staff, community_id)
    today = clock.today()
    cycle = clock.current_cycle(today)
    part = eligibility.participation(cycle, community.id) if cycle is not None else None
    if part is None or part.stage != "preliminary":
        raise Conflict("只能对初步候选名单中的小区征询意见", slug="stage_conflict",
                       details={"stage": part.stage if part else None})
    if opinion == "object" and not note:
        raise Invalid("提出异议时请说明理由", slug="invalid_opinion", details={"reasons": [
            {"code": "reason_required", "message": "提出异议时请说明理由"}]})
    decision = decide(actor, part, "opinion", opinion, today, note=note, department=department)
    db.session.flush()
    audit.record(actor, "stage.opinion", part, None,
                 {"department": department, "opinion": opinion, "note": note})
    db.session.commit()
    return decision


def decisions_of(participation_id):
    return db.session.execute(db.select(CityDecision).where(
        CityDecision.participation_id == participation_id).order_by(CityDecision.id)
    ).scalars().all()


def decisions_for(actor, community_id):
    """The city's recorded steps for a community in the current cycle (staff in scope)."""
    community = access.community_for_staff(actor.staff, community_id)
    cycle = clock.current_cycle()
    part = eligibility.participation(cycle, community.id) if cycle is not None else None
    return decisions_of(part.id) if part is not None else []
