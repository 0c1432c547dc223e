"""Releases: results move in steps, so that readings taken at different times never differ by
fewer than 5 households.

A reader who polls live results at 8 ballots and again at 9 would read the 9th ballot as the
difference; so would one who forces a score recompute before and after one answer. So figures
never come from the ballots directly: they come from the survey's release, one row per
community (`survey_releases`) holding that community's counts (aggregates.py) as they were
when it was last released. A community's release moves only when at least MIN_CELL (5) new
ballots arrived there since; until its first 5 it has none. The survey's total, a street's
total and the score are sums of community releases, so each of them too moves by 0 or by at
least 5 households at a time. The last few ballots of a closed survey stay out if fewer than
5 came after the last release: that is the price of the rule.

Comments are released the same way, per community and question, in batches of at least
MIN_COMMENTS (8), shown in random (key) order, so the newest cannot be told apart.

Releasing happens when results are read (results, exports, trend, scoring), under a lock on
the survey row so two readers cannot release twice.
"""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from server.extensions import db
from server.models import Survey, SurveyComment, SurveyRelease
from server.models.base import utcnow
from server.services.surveys import aggregates
from server.services.surveys.stats import MIN_CELL, MIN_COMMENTS

THRESHOLDS = (MIN_CELL, MIN_CELL + 1)


@dataclass
class Release:
    cells: dict
    released_at: datetime | None = None


def current(survey, community_ids):
    """The released counts of these communities of the survey, releasing what is due."""
    community_ids = list(community_ids)
    if not community_ids:
        return Release({})
    stored = _stored(survey, community_ids)
    live_counts = _ballot_counts(survey, community_ids)
    due = [cid for cid in community_ids
           if live_counts.get(cid, 0) - (stored[cid].ballots if cid in stored else 0)
           >= MIN_CELL]
    if due or _comments_due(survey, community_ids):
        _release(survey, community_ids, due)
        stored = _stored(survey, community_ids)
    cells = {cid: dict(stored[cid].cells) if cid in stored else aggregates.empty()
             for cid in community_ids}
    for (cid, question_id), count in _released_comments(survey, community_ids).items():
        cells[cid]["comments"] = dict(cells[cid]["comments"], **{str(question_id): count})
    times = [row.released_at for row in stored.values()]
    return Release(cells, max(times) if times else None)


def _stored(survey, community_ids):
    return {row.community_id: row for row in db.session.execute(
        db.select(SurveyRelease).where(SurveyRelease.survey_id == survey.id,
                                       SurveyRelease.community_id.in_(community_ids))
    ).scalars()}


def _ballot_counts(survey, community_ids):
    from server.models import SurveyBallot

    return dict(db.session.execute(
        db.select(SurveyBallot.community_id, sa.func.count())
        .where(SurveyBallot.survey_id == survey.id,
               SurveyBallot.community_id.in_(community_ids))
        .group_by(SurveyBallot.community_id)).all())


def _pending_comments(survey, community_ids):
    return db.session.execute(
        db.select(SurveyComment.community_id, SurveyComment.question_id, sa.func.count())
        .where(SurveyComment.survey_id == survey.id, SurveyComment.status == "shown",
               SurveyComment.released.is_(False),
               SurveyComment.community_id.in_(community_ids))
        .group_by(SurveyComment.community_id, SurveyComment.question_id)).all()


def _comments_due(survey, community_ids):
    return any(n >= MIN_COMMENTS for _c, _q, n in _pending_comments(survey, community_ids))


def _released_comments(survey, community_ids):
    return {(cid, qid): n for cid, qid, n in db.session.execute(
        db.select(SurveyComment.community_id, SurveyComment.question_id, sa.func.count())
        .where(SurveyComment.survey_id == survey.id, SurveyComment.status == "shown",
               SurveyComment.released.is_(True),
               SurveyComment.community_id.in_(community_ids))
        .group_by(SurveyComment.community_id, SurveyComment.question_id))}


def _release(survey, community_ids, due):
    # One releaser at a time per survey; the other waits, then finds nothing left to do.
    db.session.execute(db.select(Survey.id).where(Survey.id == survey.id).with_for_update())
    stored = _stored(survey, community_ids)
    counts = aggregates.collect(survey, due, THRESHOLDS) if due else {}
    now = utcnow()
    for cid, cell in counts.items():
        row = stored.get(cid)
        if row is not None and cell["ballots"] - row.ballots < MIN_CELL:
            continue  # released meanwhile by another reader
        if row is None:
            row = SurveyRelease(survey_id=survey.id, community_id=cid)
            db.session.add(row)
        row.ballots, row.cells, row.released_at = cell["ballots"], cell, now
    for cid, question_id, count in _pending_comments(survey, community_ids):
        if count >= MIN_COMMENTS:
            db.session.execute(sa.update(SurveyComment).where(
                SurveyComment.survey_id == survey.id, SurveyComment.community_id == cid,
                SurveyComment.question_id == question_id, SurveyComment.status == "shown",
                SurveyComment.released.is_(False)).values(released=True))
    db.session.commit()
