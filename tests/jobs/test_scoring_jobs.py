"""The scoring jobs: nightly on the `scoring` queue, and idempotent."""
from datetime import date

from server import queues
from server.cli_rq import build_scheduler
from server.models import ScoreSnapshot
from tests import scoring_fixtures as fx
from tests.jobs.worker import work


def test_scores_are_recomputed_nightly_on_the_scoring_queue(app):
    scheduler = build_scheduler(app, queues.connection())
    [nightly] = [job for job in scheduler.get_jobs() if job.func_name.endswith("scoring.nightly")]
    assert (nightly.queue_name, nightly.cron) == ("scoring", "30 2 * * *")


def test_the_nightly_job_scores_every_community_once(app, db, org, calendar):
    calendar(date(2026, 11, 29))
    fx.make_cycle(2025, fx.load(fx.SMALL))
    for _ in range(2):  # the second run finds nothing changed
        queues.queue("scoring").enqueue("server.jobs.scoring.nightly")
        work()
    assert db.session.execute(db.select(db.func.count(ScoreSnapshot.id))).scalar_one() == 4
