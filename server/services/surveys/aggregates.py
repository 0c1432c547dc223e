"""A survey's raw counts per community: the only reader of ballots for results, exports, the
trend and scoring.

Every count comes from a GROUP BY query whose size depends on communities, questions and
levels, never on the number of ballots. The result per community is plain JSON (string keys),
so a release (releases.py) can keep it as it was when it was published:

    respondents    counted ballots (all, or the unflagged ones, as the survey says)
    ballots        every ballot; straight_line: how many are flagged
    households     households that took part (participations), for the response rate
    levels         {question id: {level: answers}} of satisfaction questions (0 = 不了解)
    choices        {question id: {"respondents": n, "options": {value: n}}}
    comments       {question id: comments shown by the content check}
    clusters       {threshold: {"overall" | area code: [G, S, M, SS, SM, MM, SCORE]}}: per
                   respondent sums over the questions published at that threshold (see
                   stats.ClusterRatio), so intervals treat a household's answers as one
                   cluster and figures leave out what is withheld
"""
import sqlalchemy as sa

from server.extensions import db
from server.models import (SurveyAnswer, SurveyBallot, SurveyComment, SurveyParticipation,
                           SurveyQuestion)
from server.services.surveys import definitions

CLUSTER_FIELDS = ("G", "S", "M", "SS", "SM", "MM", "SCORE")


def counted(survey):
    """The ballots that count: all of them, or those not flagged, as the survey says."""
    if survey.count_flagged:
        return sa.true()
    return sa.not_(SurveyBallot.straight_line)


def empty():
    return {"respondents": 0, "ballots": 0, "straight_line": 0, "households": 0, "levels": {},
            "choices": {}, "comments": {}, "clusters": {}}


def collect(survey, community_ids, thresholds):
    """{community_id: counts} for these communities (every one, even without ballots)."""
    out = {cid: empty() for cid in community_ids}
    if not community_ids:
        return out
    in_scope = SurveyBallot.community_id.in_(list(community_ids))
    _ballots(survey, in_scope, out)
    _households(survey, community_ids, out)
    _answers(survey, in_scope, out)
    _comments(survey, community_ids, out)
    for k in thresholds:
        _clusters(survey, in_scope, out, k)
    return out


def _ballots(survey, in_scope, out):
    rows = db.session.execute(
        db.select(SurveyBallot.community_id, SurveyBallot.straight_line, sa.func.count())
        .where(SurveyBallot.survey_id == survey.id, in_scope)
        .group_by(SurveyBallot.community_id, SurveyBallot.straight_line))
    for community_id, flagged, count in rows:
        cell = out[community_id]
        cell["ballots"] += count
        cell["straight_line"] += count if flagged else 0
        cell["respondents"] += count if (survey.count_flagged or not flagged) else 0


def _households(survey, community_ids, out):
    rows = db.session.execute(
        db.select(SurveyParticipation.community_id,
                  sa.func.count(sa.distinct(SurveyParticipation.household_id)))
        .where(SurveyParticipation.survey_id == survey.id,
               SurveyParticipation.community_id.in_(list(community_ids)))
        .group_by(SurveyParticipation.community_id))
    for community_id, count in rows:
        out[community_id]["households"] = count


def _answers(survey, in_scope, out):
    rows = db.session.execute(
        db.select(SurveyBallot.community_id, SurveyAnswer.question_id, SurveyAnswer.level,
                  SurveyAnswer.choice, sa.func.count(),
                  sa.func.sum(sa.case((SurveyAnswer.seq == 0, 1), else_=0)))
        .join(SurveyBallot, SurveyBallot.id == SurveyAnswer.ballot_id)
        .where(SurveyAnswer.survey_id == survey.id, in_scope, counted(survey))
        .group_by(SurveyBallot.community_id, SurveyAnswer.question_id, SurveyAnswer.level,
                  SurveyAnswer.choice))
    for community_id, question_id, level, choice, count, first in rows:
        cell, key = out[community_id], str(question_id)
        if level is not None:
            cell["levels"].setdefault(key, {})[str(level)] = count
        else:
            entry = cell["choices"].setdefault(key, {"respondents": 0, "options": {}})
            entry["options"][choice] = entry["options"].get(choice, 0) + count
            entry["respondents"] += int(first or 0)


def _comments(survey, community_ids, out):
    rows = db.session.execute(
        db.select(SurveyComment.community_id, SurveyComment.question_id, sa.func.count())
        .where(SurveyComment.survey_id == survey.id, SurveyComment.status == "shown",
               SurveyComment.community_id.in_(list(community_ids)))
        .group_by(SurveyComment.community_id, SurveyComment.question_id))
    for community_id, question_id, count in rows:
        out[community_id]["comments"][str(question_id)] = count


def published_questions(cell, k):
    """Satisfaction questions whose valid answers in this community reach the threshold."""
    return {int(q) for q, levels in cell["levels"].items()
            if sum(n for lv, n in levels.items() if int(lv) in definitions.VALID_LEVELS) >= k}


def _clusters(survey, in_scope, out, k):
    pairs = [(cid, q) for cid, cell in out.items() for q in published_questions(cell, k)]
    for cell in out.values():
        cell["clusters"][str(k)] = {}
    if not pairs:
        return
    definition = definitions.definition(survey.definition_version)
    valid = SurveyAnswer.level.in_(definitions.VALID_LEVELS)
    satisfied = sa.case((SurveyAnswer.level.in_(definition.satisfied_levels), 1), else_=0)
    score = sa.case(*[(SurveyAnswer.level == lv, pts) for lv, pts in definitions.SCORE.items()],
                    else_=0)
    for by_area in (True, False):
        area = SurveyQuestion.area_code if by_area else sa.literal("overall")
        per_ballot = (
            db.select(SurveyBallot.community_id.label("c"), area.label("a"),
                      sa.func.sum(satisfied).label("s"), sa.func.count().label("m"),
                      sa.func.sum(score).label("sc"))
            .select_from(SurveyAnswer)
            .join(SurveyBallot, SurveyBallot.id == SurveyAnswer.ballot_id)
            .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
            .where(SurveyAnswer.survey_id == survey.id, in_scope, counted(survey), valid,
                   sa.tuple_(SurveyBallot.community_id, SurveyAnswer.question_id).in_(pairs))
            .group_by(SurveyBallot.community_id, SurveyBallot.id,
                      *([SurveyQuestion.area_code] if by_area else []))
            .subquery())
        rows = db.session.execute(db.select(
            per_ballot.c.c, per_ballot.c.a, sa.func.count(), sa.func.sum(per_ballot.c.s),
            sa.func.sum(per_ballot.c.m), sa.func.sum(per_ballot.c.s * per_ballot.c.s),
            sa.func.sum(per_ballot.c.s * per_ballot.c.m),
            sa.func.sum(per_ballot.c.m * per_ballot.c.m), sa.func.sum(per_ballot.c.sc))
            .group_by(per_ballot.c.c, per_ballot.c.a))
        for community_id, key, *sums in rows:
            out[community_id]["clusters"][str(k)][key] = [int(v or 0) for v in sums]
