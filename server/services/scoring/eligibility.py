"""One answer per community, date and stage: may it take this step? Every stage asks here
(apply, district selection, city assessment, the preliminary list, consultation, the formal
list, approval, naming; apply for re-examination and re-examine), so a fact learned after an
application - a veto event, a corrected creation start - stops the community at its next stage.
Every failing rule is a reason with its dates and its article (articles.py).

New application (第十条, 第十一条):
  - year 1 of a cycle (第十一条（一）); one application per cycle; not while holding the title
    (第十二条: a titled community applies for re-examination instead);
  - the self-assessment submitted by the street, its reviewed total 95 or more, summed exactly
    (第十一条（一）: the street-level unit assesses; the committee only prepares the values);
  - a three-year creation period, and no veto event (第十条（一）-（五）) in the 12 months before
    applying. Before applying "applying" is the day asked about; afterwards it is the day the
    community applied, so later stages judge the same window against what is known now;
  - the district selects in years 1-2 (第十一条（二）), the city assesses at the end of year 2
    (第十一条（三）).
Re-examination (第十二条): the title held (not lapsed, not lost), applied for in year 1; the
city's re-examination at the end of year 2 or in year 3, with a city score (cycle.py asks it).
"""
from datetime import date

from dateutil.relativedelta import relativedelta

from server.extensions import db
from server.models import Participation
from server.services.scoring import clock, compute, titles, veto
from server.services.scoring.articles import VETO_ARTICLE, VETO_KINDS, reason

CREATION_YEARS = 3
THRESHOLD = compute.TARGET
CITY_ASSESSMENT_FROM = (10, 1)  # "the end of year 2": its last quarter
NEW_STAGES = ("apply", "district_select", "city_assess", "preliminary", "consult", "formal",
              "approve", "name")
REVIEW_STAGES = ("apply_review", "re_examine")
STAGES = NEW_STAGES + REVIEW_STAGES
APPLIED_OR_LATER = ("applied", "review_applied", "district_selected", "city_assessed",
                    "preliminary", "consulted", "formal_candidate", "approved", "named",
                    "not_named", "title_kept", "title_lost")
# The participation stage -> the stage asked about next.
NEXT = {"applied": "district_select", "district_selected": "city_assess",
        "city_assessed": "preliminary", "preliminary": "consult", "consulted": "formal",
        "formal_candidate": "approve", "approved": "name", "review_applied": "re_examine"}


def participation(cycle, community_id):
    return db.session.execute(db.select(Participation).filter_by(
        cycle_id=cycle.id, community_id=community_id)).scalar_one_or_none()


def next_stage(part, title_held):
    nxt = NEXT.get(part.stage) if part is not None else None
    return nxt or ("apply_review" if title_held else "apply")


def answer(community, on=None, stage=None):
    """{eligible, stage, kind, on, cycle_id, self_score, applied_on, eligible_from, reasons}.
    `stage` None: the community's next step (a titled community's is re-examination)."""
    on = on or clock.today()
    cycle = clock.current_cycle(on)
    part = participation(cycle, community.id) if cycle is not None else None
    title = titles.state(community.id, on)
    stage = stage or next_stage(part, title["held"])
    kind = "review" if stage in REVIEW_STAGES else "new"
    facts = {"self_score": None, "applied_on": part.applied_on if part is not None else None}
    reasons = []
    if cycle is None:
        reasons.append(reason("no_cycle", "12", "当前没有进行中的创建周期（三年一轮）"))
    elif kind == "new":
        _new(community, cycle, part, title, on, stage, reasons, facts)
    else:
        _review(cycle, part, title, on, stage, reasons)
    dated = [r.get("eligible_from") for r in reasons]
    # A date only when every reason ends by a date; a score below 95 has none.
    eligible_from = max(dated) if dated and all(dated) else None
    return {"eligible": not reasons, "stage": stage, "kind": kind, "on": on.isoformat(),
            "cycle_id": cycle.id if cycle else None,
            "self_score": compute.display(facts["self_score"]),
            "applied_on": _iso(facts["applied_on"]), "eligible_from": eligible_from,
            "reasons": reasons}


def _iso(day):
    return day.isoformat() if day else None


def _new(community, cycle, part, title, on, stage, reasons, facts):
    year = clock.cycle_year(cycle, on)
    if stage == "apply":
        applied_on = on
        _application(community, cycle, part, title, on, year, reasons, facts)
    else:
        applied_on = part.applied_on if part is not None else None
        if applied_on is None:
            reasons.append(reason("not_applied", "11.1", "本周期尚未提交正式创建申请"))
            return
    _creation_period(part, applied_on, reasons)
    for event in veto.barring(community, applied_on):
        reasons.append(_veto_reason(event, stage, applied_on))
    if stage == "district_select" and year not in (1, 2):
        reasons.append(reason("outside_district_window", "11.2",
                              "区级申报须在周期第一、二年内进行",
                              since=date(cycle.start_year + 2, 1, 1)))
    if stage == "city_assess":
        opens = date(cycle.start_year + 1, *CITY_ASSESSMENT_FROM)
        if not opens <= on <= date(cycle.start_year + 1, 12, 31):
            reasons.append(reason(
                "not_end_of_year_two", "11.3",
                f"市级考核在周期第二年末进行（{opens.isoformat()} 至 {cycle.start_year + 1}-12-31）",
                eligible_from=opens if on < opens else None))


def _veto_reason(event, stage, applied_on):
    clear = veto.clear_from(event.occurred_on)
    recorded = event.created_at.astimezone(clock.SHANGHAI).date()
    scope = "所属居民区：" if event.residential_area_id is not None else ""
    what = f"{event.occurred_on.isoformat()} {scope}{VETO_KINDS[event.kind]}（一票否决）"
    if stage == "apply":
        message = f"{what}，在申报前十二个月内；{clear.isoformat()} 起可再申报"
    else:
        message = (f"{what}，在 {applied_on.isoformat()} 申报前十二个月内"
                   f"（{recorded.isoformat()} 登记），不能进入下一环节")
    return reason("veto_event", VETO_ARTICLE[event.kind], message, kind=event.kind,
                  event_id=event.id, since=event.occurred_on, recorded_on=recorded,
                  eligible_from=clear if stage == "apply" else None)


def _application(community, cycle, part, title, on, year, reasons, facts):
    if year != 1:
        nxt = date(cycle.end_year + 1, 1, 1)
        reasons.append(reason(
            "not_year_one", "11.1",
            f"申报仅限创建周期第一年（{cycle.start_year}年），今年是第{year}年；"
            f"下一周期自 {nxt.isoformat()} 起可申报",
            since=date(cycle.start_year + 1, 1, 1), eligible_from=nxt))
    if part is not None and part.stage in APPLIED_OR_LATER:
        reasons.append(reason("already_applied", "11.1",
                              f"本周期已申报（当前阶段：{part.stage}）", since=part.stage_since))
    if title["held"]:
        reasons.append(reason("title_held", "12",
                              "已获上海市文明小区称号，应在新一轮周期第一年申请复查，而非新申报",
                              since=title["since"]))
    if part is None or part.stage not in ("self_assessed",) + APPLIED_OR_LATER:
        reasons.append(reason("not_self_assessed", "11.1", "须先由街镇完成自评并提交"))
    snapshot = compute.latest_snapshot(community.id, cycle.id)
    if snapshot is None:
        reasons.append(reason("no_score", "11.1", "尚无自评分，请先完成自评"))
        return
    score, unassessed = compute.exact_total(snapshot, "street_points")
    facts["self_score"] = score
    computed_on = snapshot.computed_at.astimezone(clock.SHANGHAI).date()
    if unassessed:
        reasons.append(reason("not_street_assessed", "11.1",
                              f"街镇尚未评定以下指标：{'、'.join(unassessed)}",
                              indicators=unassessed, since=computed_on))
    if score < THRESHOLD:
        reasons.append(reason("below_95", "11.1",
                              f"街镇评定的自评分 {compute.display(score):.2f} 分，未达到 95 分",
                              score=compute.display(score), since=computed_on))


def _creation_period(part, applied_on, reasons):
    started = part.creation_started_on if part is not None else None
    if started is None:
        reasons.append(reason("creation_not_started", "10", "尚未开始创建，需满三年创建期"))
        return
    ready = started + relativedelta(years=CREATION_YEARS)
    if ready > applied_on:
        reasons.append(reason("creation_period", "10",
                              f"创建期自 {started.isoformat()} 起未满三年，{ready.isoformat()} 起满三年",
                              since=started, eligible_from=ready))


def _review(cycle, part, title, on, stage, reasons):
    year = clock.cycle_year(cycle, on)
    if not title["held"]:
        if title["ended_on"]:
            reasons.append(reason("title_ended", "12", f"称号已于 {title['ended_on'].isoformat()} "
                                  f"终止：{title['end_label']}", since=title["ended_on"]))
        else:
            reasons.append(reason("no_title", "12", "未持有上海市文明小区称号，应按新申报办理"))
    if stage == "apply_review":
        if year != 1:
            reasons.append(reason("not_year_one", "12",
                                  f"复查申请仅限创建周期第一年（{cycle.start_year}年）",
                                  since=date(cycle.start_year + 1, 1, 1)))
        if part is not None and part.stage in APPLIED_OR_LATER:
            reasons.append(reason("already_applied", "12",
                                  f"本周期已申报（当前阶段：{part.stage}）", since=part.stage_since))
        return
    if part is None or part.stage != "review_applied":
        reasons.append(reason("not_review_applied", "12", "本周期尚未申请复查"))
    opens = date(cycle.start_year + 1, *CITY_ASSESSMENT_FROM)
    if on < opens:
        reasons.append(reason("review_not_open", "12",
                              f"市级复查结合创建年度进行，自 {opens.isoformat()} 起",
                              eligible_from=opens))
