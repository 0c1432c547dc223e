"""The street's (and district's) view over every community under it: open, overdue and
reworked reports and each committee's figures, from a handful of set-based queries whatever
the number of communities (see bench/bench_street_view.py)."""
from sqlalchemy import and_, case, func

from server.extensions import db
from server.models import Community, OrgUnit, Report, ReportExtension
from server.services import access
from server.services.reports import figures, sla


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def overview(actor, since, until):
    scope = access.community_filter(actor.staff)
    area = Community.residential_area_id
    # Outer join: a community without reports has one row of NULLs, which is not an open report.
    open_ = and_(Report.id.is_not(None), Report.closed_at.is_(None))
    counts = {row[0]: row[1:] for row in db.session.execute(
        db.select(area, func.count(func.distinct(Community.id)), _count(open_),
                  _count(sla.overdue_clause()),
                  _count(and_(open_, Report.rework_count > 0)))
        .select_from(Community).outerjoin(Report, Report.community_id == Community.id)
        .where(scope).group_by(area))}
    pending = dict(db.session.execute(
        db.select(area, func.count(ReportExtension.id))
        .join(Report, Report.id == ReportExtension.report_id)
        .join(Community, Community.id == Report.community_id)
        .where(scope, ReportExtension.status == "pending").group_by(area)).all())
    per_area = figures.grouped(scope, since, until, "residential_area")
    names = dict(db.session.execute(db.select(OrgUnit.id, OrgUnit.name).where(
        OrgUnit.id.in_(list(counts)))).all()) if counts else {}
    committees = []
    for area_id in sorted(counts, key=lambda i: (-counts[i][2], names.get(i, ""))):
        communities, open_n, overdue, reworked = counts[area_id]
        committees.append({
            "residential_area": {"id": area_id, "name": names.get(area_id, "")},
            "communities": int(communities), "open": int(open_n), "overdue": int(overdue),
            "reworked": int(reworked), "pending_extensions": int(pending.get(area_id, 0)),
            "figures": (per_area.get(area_id) or figures._empty(area_id)).as_dict()})
    totals = {key: sum(c[key] for c in committees)
              for key in ("communities", "open", "overdue", "reworked", "pending_extensions")}
    return {"since": since, "until": until, "totals": totals, "committees": committees}
