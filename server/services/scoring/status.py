"""The residents' view of their community: title (and its life: since, kept, ended and why,
the re-examination due), cycle, stage, the satisfaction and supervision
parts of the score with their trend, this month's reports, open rectifications and the latest
survey's response rate. Nothing about veto events or other communities.

Cached in Redis as the finished JSON for STATUS_CACHE_SECONDS (short: this month's report
counts move without a recompute) and dropped by every recompute that wrote a snapshot, so a
thousand residents opening the page cost one computation.
"""
import json
from datetime import datetime

from flask import current_app

from server.errors import NotFound
from server.extensions import db
from server.models import Community, Membership, Participation, ScoreSnapshot
from server.services import access
from server.services.scoring import cache, clock, inputs, titles

STAGE_LABELS = {
    "not_participating": "未参与创建", "creating": "创建中", "self_assessed": "已完成自评",
    "applied": "已向区申报", "review_applied": "已申请复查", "district_selected": "已获区级推荐",
    "city_assessed": "已接受市级考核", "preliminary": "列入初步候选名单",
    "consulted": "意见征询已完成", "formal_candidate": "列入正式候选名单",
    "approved": "市文明委审议通过", "named": "已正式命名",
    "not_named": "本周期未获命名", "title_kept": "复查通过，保留称号", "title_lost": "复查未通过",
}


def community_for(actor, community_id):
    """Residents: only the community they are an approved member of; staff: their scope."""
    if actor.is_staff:
        return access.community_for_staff(actor.staff, community_id)
    member = db.session.execute(db.select(Membership.id).where(
        Membership.resident_id == actor.resident.id, Membership.community_id == community_id,
        Membership.status == "approved")).first()
    if member is None:
        raise NotFound("未找到该小区", slug="community_not_found")
    return community_id


def get(actor, community_id):
    community_for(actor, community_id)
    cached = cache.guarded(lambda conn: conn.get(cache.key(community_id)))
    if cached is not None:
        return json.loads(cached)
    # Redis down or hung: built from the database, at most one Redis timeout later.
    status = build(community_id)
    cache.guarded(lambda conn: conn.set(cache.key(community_id),
                                        json.dumps(status, ensure_ascii=False),
                                        ex=current_app.config.get("STATUS_CACHE_SECONDS", 60)))
    return status


def build(community_id):
    community = db.session.get(Community, community_id)
    today = clock.today()
    cycle = clock.current_cycle(today)
    status = {
        "community": {"id": community.id, "name": community.name},
        "title": titles.for_display(community_id, today),
        "cycle": None, "stage": None, "score": None,
        "reports_this_month": inputs.reports_this_month(community_id, today),
        "open_rectifications": inputs.open_rectifications(community_id),
        "latest_survey": inputs.latest_survey(community_id),
        "as_of": datetime.now(clock.SHANGHAI).isoformat(timespec="seconds"),
    }
    if cycle is None:
        return status
    status["cycle"] = {"id": cycle.id, "name": cycle.name, "start_year": cycle.start_year,
                       "end_year": cycle.end_year, "year": clock.cycle_year(cycle, today)}
    part = db.session.execute(db.select(Participation).filter_by(
        cycle_id=cycle.id, community_id=community_id)).scalar_one_or_none()
    if part is not None:
        status["stage"] = {"code": part.stage, "label": STAGE_LABELS[part.stage],
                           "since": part.stage_since.isoformat()}
    status["score"] = _score_parts(community_id, cycle.id)
    return status


def _score_parts(community_id, cycle_id):
    latest_two = db.session.execute(db.select(ScoreSnapshot).where(
        ScoreSnapshot.community_id == community_id, ScoreSnapshot.cycle_id == cycle_id)
        .order_by(ScoreSnapshot.id.desc()).limit(2)).scalars().all()
    if not latest_two:
        return None
    latest = latest_two[0]
    previous = latest_two[1] if len(latest_two) > 1 else None
    maxima = {"questionnaire": 0.0, "supervision": 0.0}
    unknown = {"questionnaire": 0.0, "supervision": 0.0}
    for item in latest.items:
        if item["method"] in maxima:
            maxima[item["method"]] += item["weight"]
            if item["points"] is None:
                unknown[item["method"]] += item["weight"]
    return {
        "computed_at": latest.computed_at.isoformat(),
        "satisfaction": _part(latest.satisfaction_part, previous and previous.satisfaction_part,
                              maxima["questionnaire"], unknown["questionnaire"], previous),
        "supervision": _part(latest.supervision_part, previous and previous.supervision_part,
                             maxima["supervision"], unknown["supervision"], previous),
    }


def _part(points, before, maximum, unknown, previous):
    points = float(points) if points is not None else None
    before = float(before) if before is not None else None
    if points is None or before is None:
        trend = {"direction": "unknown", "change": None, "since": None}
    else:
        change = round(points - before, 2)
        trend = {"direction": "up" if change > 0 else "down" if change < 0 else "flat",
                 "change": change, "since": previous.computed_at.isoformat()}
    return {"points": points, "max_points": round(maximum, 2),
            "unknown_points": round(unknown, 2), "trend": trend}
