"""The privacy mix: ballots must not be linkable to participations by where or when they
were written.

A submission writes its participation and its ballot in one transaction (so that both or
neither exist). On PostgreSQL that leaves two traces a database administrator could join on:
the rows share their inserting transaction id (`xmin`), and the heap stores rows in insertion
order (`ctid`), so the n-th participation and the n-th ballot would belong together. The mix
rewrites a survey's ballots, answers and comments - delete and re-insert in random order, in one
statement each - so every live row gets the mix's transaction id and a shuffled position, then
VACUUMs the dead versions away. It runs every few minutes for surveys with new ballots
(server/jobs/periodic.py), so the window in which those traces exist is short.

SQLite has no transaction ids on rows, and these tables are WITHOUT ROWID there: rows
live in the order of their random UUID keys from the start, so the mix only counts.
"""
import logging

import sqlalchemy as sa

from server.extensions import db
from server.models import Survey, SurveyBallot

log = logging.getLogger(__name__)

# Each statement deletes a survey's rows and inserts them again, shuffled; the foreign key
# from answers to ballots is checked at the end of each statement, when the keys exist again.
_REWRITE = {
    "survey_ballots": sa.text(
        "WITH gone AS (DELETE FROM survey_ballots WHERE survey_id = :survey_id RETURNING *) "
        "INSERT INTO survey_ballots SELECT * FROM gone ORDER BY random()"),
    "survey_answers": sa.text(
        "WITH gone AS (DELETE FROM survey_answers WHERE survey_id = :survey_id RETURNING *) "
        "INSERT INTO survey_answers SELECT * FROM gone ORDER BY random()"),
    # Comments were written in the participation's transaction too.
    "survey_comments": sa.text(
        "WITH gone AS (DELETE FROM survey_comments WHERE survey_id = :survey_id RETURNING *) "
        "INSERT INTO survey_comments SELECT * FROM gone ORDER BY random()"),
}


def _postgres():
    return db.engine.dialect.name == "postgresql"


def mix(survey_id):
    """Rewrite one survey's ballots in random order; returns how many ballots it holds."""
    survey = db.session.get(Survey, survey_id, with_for_update=True)
    if survey is None:
        return 0
    count = _ballot_count(survey_id)
    if _postgres():
        for statement in _REWRITE.values():
            db.session.execute(statement, {"survey_id": survey_id})
    survey.mixed_ballots = count
    db.session.commit()
    return count


def _ballot_count(survey_id):
    return db.session.execute(db.select(sa.func.count()).select_from(SurveyBallot).where(
        SurveyBallot.survey_id == survey_id)).scalar_one()


def due():
    """Surveys whose ballots changed since their last mix."""
    counts = (db.select(SurveyBallot.survey_id, sa.func.count().label("n"))
              .group_by(SurveyBallot.survey_id).subquery())
    return list(db.session.execute(
        db.select(Survey.id).join(counts, counts.c.survey_id == Survey.id)
        .where(counts.c.n != Survey.mixed_ballots)).scalars())


def mix_due():
    """Mix every survey that needs it, then reclaim the old row versions. Idempotent: with no
    new ballots it does nothing."""
    mixed = [survey_id for survey_id in due() if mix(survey_id) is not None]
    if mixed and _postgres():
        vacuum()
    log.info("Privacy mix: %d survey(s)", len(mixed))
    return len(mixed)


def vacuum():
    """Remove the dead row versions the mix left (they still carry the old xmin and order).
    VACUUM cannot run inside a transaction, hence a connection of its own in autocommit."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM survey_ballots"))
        conn.execute(sa.text("VACUUM survey_answers"))
        conn.execute(sa.text("VACUUM survey_comments"))
