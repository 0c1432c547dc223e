"""Figures about how reports were handled, per community (or per committee) and period, each
with its definition. Every figure is one set-based query over all the groups asked for, so a
street of 200 communities costs the same three statements as one community.

The period selects reports by the day they were filed (Asia/Shanghai), both ends included.

For the scoring issue:

    community_figures(community_id: int, since: date, until: date) -> CommunityFigures
    for_communities(community_ids: list[int] | None, since: date, until: date)
        -> dict[int, CommunityFigures]        (None: every community)

CommunityFigures.metric(code) -> (value: float | None, denominator: int); value is a fraction
in [0, 1] (hours for median_hours_to_resolve, a count for repeat_reports) and None when the
denominator is 0. Aliases: "on_time" = resolved_on_time, "fixed" = fixed_rate,
"satisfaction" = satisfaction. CommunityFigures.as_dict() is the JSON the API shows.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, case, extract, func, true

from server.extensions import db
from server.models import Community, Report
from server.services import clock

DEFINITIONS = {
    "first_contact_on_time": (
        "先行联系率", "在先行联系期限内联系反映人的件数 ÷ 统计期内受理范围内的反映数"
        "（不含不予受理、已合并）"),
    "accepted_on_time": (
        "按时受理率", "在受理期限内作出受理、不予受理或合并决定的件数 ÷ 统计期内的反映数"),
    "resolved_on_time": (
        "按时办结率", "在办结期限（含批准的延期）内办结的件数 ÷ 已受理的反映数（不含转12345）"),
    "fixed_rate": (
        "实际解决率", "已关闭且问题确已解决的件数 ÷ 已受理且已关闭的反映数"),
    "satisfaction": (
        "满意率", "评价为“满意”或“基本满意”的件数 ÷ 已评价的件数（以最后一次评价为准）"),
    "rework_rate": ("返工率", "因居民不满意而返工的件数 ÷ 办结过的件数"),
    "repeat_reports": (
        "同楼栋重复反映", "同一楼栋、同一类别在统计期内被再次反映的件数（件数，不是比率）；"
                       "分母为填写了楼栋的反映数"),
    "median_hours_to_resolve": (
        "办结用时中位数", "从提交到（最后一次）办结的小时数的中位数；分母为办结过的件数"),
    "provisional_deadlines": (
        "暂定期限件数", "期限落在节假日安排未载入的年份、仅按周末暂定的反映件数（件数，不是比率）；"
                    "该年安排载入后重新计算，不再计入。分母为统计期内的反映数"),
}
ALIASES = {"on_time": "resolved_on_time", "fixed": "fixed_rate"}
GOOD_RATINGS = ("satisfied", "basically_satisfied")
GROUP_COLUMNS = {"community": Report.community_id,
                 "residential_area": Community.residential_area_id}


@dataclass
class Figure:
    numerator: float = 0
    denominator: int = 0
    value: float | None = None


@dataclass
class CommunityFigures:
    group_id: int
    reports: int = 0
    figures: dict = field(default_factory=dict)

    def metric(self, code):
        figure = self.figures[ALIASES.get(code, code)]
        return figure.value, figure.denominator

    def as_dict(self):
        return {code: {"name": DEFINITIONS[code][0], "definition": DEFINITIONS[code][1],
                       "value": f.value, "numerator": f.numerator,
                       "denominator": f.denominator}
                for code, f in self.figures.items()}


def community_figures(community_id, since, until):
    return for_communities([community_id], since, until)[community_id]


def for_communities(community_ids, since, until):
    condition = true() if community_ids is None else Report.community_id.in_(community_ids)
    result = grouped(condition, since, until, "community")
    for community_id in community_ids or []:
        result.setdefault(community_id, _empty(community_id))
    return result


def period_bounds(since, until):
    """[start, end) in UTC for Shanghai dates since..until, both included; dates at the ends
    of the calendar are clamped rather than overflowing."""
    since = max(since, date.min + timedelta(days=1))
    until = min(until, date.max - timedelta(days=1))
    return clock.end_of_day(since - timedelta(days=1)), clock.end_of_day(until)


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def grouped(condition, since, until, by="community"):
    """Figures for every group (community or residential_area) with reports in the period
    that satisfy `condition` (a SQL condition on Report/Community)."""
    start, end = period_bounds(since, until)
    group = GROUP_COLUMNS[by]
    in_period = and_(condition, Report.created_at >= start, Report.created_at < end)
    valid = Report.status.not_in(("rejected", "merged"))
    handled = and_(Report.accepted_at.is_not(None), Report.handler_kind != "hotline_12345")
    row_query = (db.select(
        group.label("g"), func.count(Report.id),
        _count(valid), _count(and_(valid, Report.contacted_at <= Report.contact_due_at)),
        _count(and_(Report.decided_at.is_not(None), Report.decided_at <= Report.accept_due_at)),
        _count(handled), _count(and_(handled, Report.resolved_at <= Report.resolve_due_at)),
        _count(and_(Report.accepted_at.is_not(None), Report.closed_at.is_not(None))),
        _count(and_(Report.accepted_at.is_not(None), Report.closed_at.is_not(None),
                    Report.fixed.is_(True))),
        _count(Report.rating.is_not(None)), _count(Report.rating.in_(GOOD_RATINGS)),
        _count(Report.resolved_at.is_not(None)),
        _count(and_(Report.resolved_at.is_not(None), Report.rework_count > 0)),
        _count(Report.building_key != ""), _count(Report.deadlines_provisional.is_(True)))
        .join(Community, Community.id == Report.community_id).where(in_period).group_by(group))
    result = {}
    for row in db.session.execute(row_query):
        (gid, total, valid_n, contacted, decided, handled_n, on_time, closed_n, fixed_n,
         rated, good, resolved, reworked, with_building, provisional) = row
        figures = {
            "first_contact_on_time": _rate(contacted, valid_n),
            "accepted_on_time": _rate(decided, total),
            "resolved_on_time": _rate(on_time, handled_n),
            "fixed_rate": _rate(fixed_n, closed_n),
            "satisfaction": _rate(good, rated),
            "rework_rate": _rate(reworked, resolved),
            "repeat_reports": Figure(0, int(with_building), 0 if with_building else None),
            "median_hours_to_resolve": Figure(0, int(resolved), None),
            "provisional_deadlines": Figure(int(provisional), int(total), int(provisional)),
        }
        result[gid] = CommunityFigures(gid, int(total), figures)
    _repeats(result, in_period, group)
    _medians(result, in_period, group)
    return result


def _rate(numerator, denominator):
    numerator, denominator = int(numerator), int(denominator)
    return Figure(numerator, denominator,
                  round(numerator / denominator, 4) if denominator else None)


def _empty(group_id):
    figures = {code: Figure() for code in DEFINITIONS}
    return CommunityFigures(group_id, 0, figures)


def _repeats(result, in_period, group):
    per_building = (db.select(group.label("g"), func.count(Report.id).label("n"))
                    .join(Community, Community.id == Report.community_id)
                    .where(in_period, Report.building_key != "")
                    .group_by(group, Report.community_id, Report.category_id,
                              Report.building_key).subquery())
    query = (db.select(per_building.c.g, func.sum(per_building.c.n - 1))
             .where(per_building.c.n > 1).group_by(per_building.c.g))
    for gid, repeats in db.session.execute(query):
        figure = result[gid].figures["repeat_reports"]
        figure.numerator = figure.value = int(repeats)


def _hours():
    if db.engine.dialect.name == "sqlite":
        return (func.julianday(Report.resolved_at) - func.julianday(Report.created_at)) * 24
    return extract("epoch", Report.resolved_at - Report.created_at) / 3600


def _medians(result, in_period, group):
    """The median by window functions (SQLite >= 3.25 and PostgreSQL alike): the middle row,
    or the mean of the two middle rows."""
    hours = _hours().label("h")
    ranked = (db.select(group.label("g"), hours,
                        func.row_number().over(partition_by=group, order_by=hours).label("rn"),
                        func.count().over(partition_by=group).label("cnt"))
              .join(Community, Community.id == Report.community_id)
              .where(in_period, Report.resolved_at.is_not(None)).subquery())
    query = (db.select(ranked.c.g, func.avg(ranked.c.h))
             .where(ranked.c.rn.in_([(ranked.c.cnt + 1) // 2, (ranked.c.cnt + 2) // 2]))
             .group_by(ranked.c.g))
    for gid, median in db.session.execute(query):
        result[gid].figures["median_hours_to_resolve"].value = round(float(median), 2)


__all__ = ["DEFINITIONS", "CommunityFigures", "Figure", "community_figures", "for_communities",
           "grouped"]
