"""Satisfaction as the scoring service reads it: per community, standard area and indicator
code, for the surveys of a period.

A survey counts for a period when it is published or closed and opened (Asia/Shanghai) within
the period: ballots carry no day (docs/surveys.md), so the survey's period is the finest time
there is. Scoring reads the same released, published cells as the results (results.py): a
question's answers in a community count only when at least 5 respondents gave a valid one,
and they move only in steps of at least 5 new respondents - so a recomputed score cannot be
used to read one household's answers. The sample is the number of respondents (households),
not of answers. 不了解 is not a valid answer. Each survey's own versioned definition of 满意率
decides which levels are "satisfied".
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from server.extensions import db
from server.models import Survey
from server.models.survey import survey_communities
from server.services.surveys import definitions, releases
from server.services.surveys.stats import MIN_CELL

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class Satisfaction:
    valid: int = 0
    satisfied: int = 0
    respondents: int = 0
    survey_ids: set = field(default_factory=set)

    @property
    def rate(self):
        """满意率 in [0, 1], or None without valid answers."""
        return self.satisfied / self.valid if self.valid else None

    @property
    def percent(self):
        return round(self.rate * 100, 2) if self.valid else None

    # The names the scoring service reads (server/services/scoring/compute.py): the sample
    # that min_sample is compared with is households, not answers.
    @property
    def answers(self):
        return self.respondents

    @property
    def score(self):
        return self.percent


def _utc(day):
    return datetime.combine(day, time(0), tzinfo=SHANGHAI).astimezone(timezone.utc)


def surveys_in(community_ids, since: date, until: date):
    query = (db.select(Survey).where(Survey.status.in_(("published", "closed")),
                                     Survey.opens_at >= _utc(since),
                                     Survey.opens_at < _utc(until + timedelta(days=1)))
             .order_by(Survey.id))
    if community_ids is not None:
        query = query.where(db.exists().where(
            survey_communities.c.survey_id == Survey.id,
            survey_communities.c.community_id.in_(list(community_ids))))
    return db.session.execute(query).scalars().all()


def satisfaction(community_ids, since: date, until: date):
    """{(community_id, key): Satisfaction} where key is an indicator code, or "area:S1" ..
    "area:S7" for the standard area. `community_ids` None means every community; `since` and
    `until` are inclusive dates."""
    wanted = None if community_ids is None else set(community_ids)
    out = {}
    for survey in surveys_in(community_ids, since, until):
        ids = [c.id for c in survey.communities if wanted is None or c.id in wanted]
        satisfied_levels = definitions.definition(survey.definition_version).satisfied_levels
        cells = releases.current(survey, ids).cells
        indicator_households = {}
        for community_id, cell in cells.items():
            clusters = cell["clusters"].get(str(MIN_CELL), {})
            for question in survey.questions:
                levels = cell["levels"].get(str(question.id), {})
                valid = {int(lv): n for lv, n in levels.items()
                         if int(lv) in definitions.VALID_LEVELS}
                if question.kind != "satisfaction" or sum(valid.values()) < MIN_CELL:
                    continue
                area_key = f"area:{question.area_code}"
                for key in [area_key] + ([question.indicator_code]
                                         if question.indicator_code else []):
                    entry = out.setdefault((community_id, key), Satisfaction())
                    entry.valid += sum(valid.values())
                    entry.satisfied += sum(n for lv, n in valid.items()
                                           if lv in satisfied_levels)
                    entry.survey_ids.add(survey.id)
                    if key != area_key:
                        # An indicator's households: at least its most answered question's.
                        indicator_households[(community_id, key)] = max(
                            indicator_households.get((community_id, key), 0),
                            sum(valid.values()))
            for code, sums in clusters.items():
                entry = out.get((community_id, f"area:{code}"))
                if entry is not None and survey.id in entry.survey_ids:
                    entry.respondents += sums[0]
        for key, households in indicator_households.items():
            out[key].respondents += households
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
