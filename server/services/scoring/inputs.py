"""The only reader of survey and report data for scoring and status.

Satisfaction and report figures come from the surveys' and reports' own services, which
compute them with one GROUP BY query for any number of communities and own their definitions:

  satisfaction  server.services.surveys.scoring.satisfaction: 满意率 per community and
                indicator code or "area:Sx", by each survey's versioned definition, ballots of
                published or closed surveys answered in the period; the sample is the number of
                valid answers of published cells, released in steps; the sample is households.
  supervision   server.services.reports.figures.for_communities: reports filed in the period;
                on_time = resolved within the deadline (extensions included) of accepted ones,
                fixed = actually fixed of accepted and closed ones, satisfaction = 满意/基本满意
                of rated ones.

The few figures only the status page needs (this month's reports, open rectifications, the
latest survey's response rate) are read here directly, set-based as well.
"""
from datetime import datetime, time, timezone
from decimal import Decimal

import sqlalchemy as sa

from server.extensions import db
from server.models.rectification import Rectification
from server.models.report import Report
from server.models.survey import Survey, survey_communities
from server.services.reports import figures as report_figures
from server.services.scoring import clock
from server.services.surveys import releases
from server.services.surveys import results as survey_results
from server.services.surveys import scoring as survey_scoring

HUNDRED = Decimal(100)


def _utc(day):
    return datetime.combine(day, time(0), tzinfo=clock.SHANGHAI).astimezone(timezone.utc)


def _count(condition):
    return sa.func.sum(sa.case((condition, 1), else_=0))


def satisfaction(community_ids, since, until):
    """{(community_id, indicator code | "area:Sx"): sample with .score (percent or None),
    .answers and .survey_ids}."""
    return survey_scoring.satisfaction(community_ids, since, until)


class Supervision:
    """One community's report figures as scoring reads them: percentages, and a compact
    trace of the three figures scoring uses."""

    USED = ("on_time", "fixed", "satisfaction")

    def __init__(self, figures):
        self._figures = figures

    def metric(self, basis):
        value, denominator = self._figures.metric(basis)
        if value is None:
            return None, denominator
        return (Decimal(str(value)) * HUNDRED).quantize(Decimal("0.01")), denominator

    def as_dict(self):
        out = {}
        for basis in self.USED:
            figure = self._figures.figures[report_figures.ALIASES.get(basis, basis)]
            out[basis] = {"numerator": figure.numerator, "denominator": figure.denominator}
        return out


def supervision(community_ids, since, until):
    """{community_id: Supervision} for reports filed in [since, until]."""
    found = report_figures.for_communities(community_ids, since, until)
    return {community_id: Supervision(figures) for community_id, figures in found.items()}


def reports_this_month(community_id, today):
    """Reports submitted and resolved (closed as fixed) since the 1st, and open right now."""
    month = _utc(today.replace(day=1))
    row = db.session.execute(db.select(
        _count(Report.created_at >= month),
        _count(Report.closed_at.is_(None)),
        _count(sa.and_(Report.closed_at >= month, Report.fixed.is_(True))),
    ).where(Report.community_id == community_id)).one()
    return {"submitted": int(row[0] or 0), "open": int(row[1] or 0),
            "resolved": int(row[2] or 0)}


def open_rectifications(community_id):
    """Orders not yet verified as done (issued, answered and waiting, or returned)."""
    return db.session.execute(db.select(sa.func.count(Rectification.id)).where(
        Rectification.community_id == community_id,
        Rectification.status != "passed")).scalar_one()


def latest_survey(community_id):
    """The latest closed survey of the community, with its response rate as the survey
    results define it (households that answered / households on the register, published
    only on at least 5 households)."""
    survey = db.session.execute(
        db.select(Survey).join(survey_communities, survey_communities.c.survey_id == Survey.id)
        .where(survey_communities.c.community_id == community_id, Survey.status == "closed")
        .order_by(Survey.closed_at.desc(), Survey.id.desc()).limit(1)).scalar_one_or_none()
    if survey is None:
        return None
    rate = survey_results.response_rate(releases.current(survey, [community_id]).cells)
    return {"survey_id": survey.id, "title": survey.title, "unit": survey.response_unit,
            "closed_at": survey.closed_at.isoformat(),
            "responses": rate["responding_households"],
            "households": rate["registered_households"],
            "response_rate": round(rate["rate"] * 100, 1) if rate["rate"] is not None
            else None}
