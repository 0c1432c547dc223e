"""Satisfaction as the scoring service reads it: per community, standard area and indicator
code, over a period of days, in one GROUP BY query for any number of communities.

A ballot counts when its survey is published or closed, its day (Asia/Shanghai) lies in the
period, and - unless its survey counts flagged ballots - it is not flagged (too fast or
straight-lining). 不了解 is not a valid answer. Each survey's own versioned definition of
满意率 decides which levels are "satisfied".
"""
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from server.extensions import db
from server.models import Survey, SurveyAnswer, SurveyBallot, SurveyQuestion
from server.services.surveys import definitions


@dataclass
class Satisfaction:
    valid: int = 0
    satisfied: int = 0
    survey_ids: set = field(default_factory=set)

    @property
    def rate(self):
        """满意率 in [0, 1], or None without valid answers."""
        return self.satisfied / self.valid if self.valid else None

    @property
    def percent(self):
        return round(self.rate * 100, 2) if self.valid else None

    # The names the scoring service reads (server/services/scoring/compute.py).
    @property
    def answers(self):
        return self.valid

    @property
    def score(self):
        return self.percent


def satisfaction(community_ids, since: date, until: date):
    """{(community_id, key): Satisfaction} where key is an indicator code, or "area:S1" ..
    "area:S7" for the standard area. `community_ids` None means every community; `since` and
    `until` are inclusive dates."""
    valid_levels = definitions.VALID_LEVELS
    flagged = SurveyBallot.too_fast | SurveyBallot.straight_line
    query = (db.select(SurveyBallot.community_id, SurveyQuestion.area_code,
                       SurveyQuestion.indicator_code, Survey.id, Survey.definition_version,
                       SurveyAnswer.level, sa.func.count())
             .select_from(SurveyAnswer)
             .join(SurveyBallot, SurveyBallot.id == SurveyAnswer.ballot_id)
             .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
             .join(Survey, Survey.id == SurveyAnswer.survey_id)
             .where(Survey.status.in_(("published", "closed")),
                    SurveyQuestion.kind == "satisfaction",
                    SurveyAnswer.level.in_(valid_levels),
                    SurveyBallot.answered_on >= since, SurveyBallot.answered_on <= until,
                    sa.or_(Survey.count_flagged, sa.not_(flagged)))
             .group_by(SurveyBallot.community_id, SurveyQuestion.area_code,
                       SurveyQuestion.indicator_code, Survey.id, Survey.definition_version,
                       SurveyAnswer.level))
    if community_ids is not None:
        query = query.where(SurveyBallot.community_id.in_(list(community_ids)))
    out = {}
    for community_id, area, indicator, survey_id, version, level, count in db.session.execute(
            query):
        satisfied = count if level in definitions.definition(version).satisfied_levels else 0
        keys = [f"area:{area}"] + ([indicator] if indicator else [])
        for key in keys:
            entry = out.setdefault((community_id, key), Satisfaction())
            entry.valid += count
            entry.satisfied += satisfied
            entry.survey_ids.add(survey_id)
    return out


def community_satisfaction(community_id, since: date, until: date):
    """One community: {"areas": {"S1": Satisfaction, ...}, "indicators": {code: ...}}."""
    rows = satisfaction([community_id], since, until)
    areas, indicators = {}, {}
    for (_cid, key), value in rows.items():
        if key.startswith("area:"):
            areas[key[5:]] = value
        else:
            indicators[key] = value
    return {"areas": areas, "indicators": indicators}
