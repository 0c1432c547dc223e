"""How long the results of a survey with 100,000 ballots take, and in how many queries.

    .venv/bin/python bench/bench_survey_results.py                 # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1/bench ...   # PostgreSQL (an empty database)
    BENCH_BALLOTS=20000 ...                                         # another size
    ... bench/bench_survey_results.py --json                        # one JSON line (bench/run.py)

The ballots are written with set-based INSERT ... SELECT (that part is not measured). Then the results call
and the scoring read run twice each (the second run with warm caches) and the script prints
their time and the number of SQL statements they sent: the count stays the same whatever the
number of ballots, because every figure comes from GROUP BY queries. The floor is one plain
GROUP BY over the survey's answers: no results call can read them faster.
"""
import json
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server import create_app  # noqa: E402
from server.extensions import db  # noqa: E402
from server.models import (Household, Staff, Survey, SurveyAnswer, SurveyBallot,  # noqa: E402
                           SurveyParticipation)
from server.models.base import utcnow  # noqa: E402
from server.services import org  # noqa: E402
from server.services.surveys import definitions, lifecycle, results, scoring  # noqa: E402

BALLOTS = int(os.environ.get("BENCH_BALLOTS", "100000"))
BUILDINGS = 40


def _database_url():
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"


def _setup():
    city = org.ensure_unit("SH", "上海市", "city")
    district = org.ensure_unit("XH", "徐汇区", "district", city)
    street = org.ensure_unit("XH-TP", "天平路街道", "street", district, kind="街道")
    area = org.ensure_unit("XH-TP-R01", "建业里居民区", "residential_area", street)
    community = org.ensure_community("XH-TP-001", "建业里", area, "", 0, [])
    staff = Staff(username="bench", password_hash="-", role="city", scope_unit=city)
    db.session.add(staff)
    db.session.flush()
    now = utcnow()
    survey = Survey(title="bench", status="published", response_unit="household",
                    definition_version=definitions.CURRENT_DEFINITION, opens_at=now,
                    closes_at=now + timedelta(days=30), owner_unit_id=city.id,
                    created_by_id=staff.id, template_code=definitions.DEFAULT_TEMPLATE_CODE,
                    questions=lifecycle.build_questions(definitions.DEFAULT_TEMPLATE_QUESTIONS),
                    communities=[community])
    db.session.add(survey)
    db.session.commit()
    return survey, community


def _fill(survey, community):
    """Households, ballots, answers and participations with set-based INSERT ... SELECT (no
    row-by-row Python), levels spread over 5..0 as a real survey's are."""
    pg = db.engine.dialect.name == "postgresql"
    series = (f"SELECT generate_series(1, {BALLOTS}) AS n" if pg else
              f"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
              f"WHERE n < {BALLOTS}) SELECT n FROM r")
    uuid_expr = "gen_random_uuid()" if pg else "lower(hex(randomblob(16)))"
    day = ("DATE '2026-03-01' + (n % 20)" if pg else
           "date('2026-03-01', '+' || (n % 20) || ' days')")
    yes, no = ("true", "false") if pg else ("1", "0")
    params = {"survey": survey.id, "community": community.id}
    run = db.session.execute
    run(sa.text(f"INSERT INTO households (community_id, building, unit, room, created_at) "
                f"SELECT :community, CAST(1 + n % {BUILDINGS} AS VARCHAR), '1', "
                f"CAST(n AS VARCHAR), CURRENT_TIMESTAMP FROM ({series}) s"), params)
    run(sa.text(f"INSERT INTO survey_ballots (id, survey_id, community_id, building, "
                f"answered_on, duration_seconds, assisted, too_fast, straight_line) "
                f"SELECT {uuid_expr}, :survey, :community, CAST(1 + n % {BUILDINGS} AS VARCHAR), "
                f"{day}, 10 + (n * 7919) % 590, CASE WHEN n % 50 = 0 THEN {yes} ELSE {no} END, "
                f"CASE WHEN n % 37 = 0 THEN {yes} ELSE {no} END, {no} FROM ({series}) s"),
        params)
    level = ("CASE (b.duration_seconds * 7 + q.id * 13) % 9 WHEN 0 THEN 5 WHEN 1 THEN 5 "
             "WHEN 2 THEN 4 WHEN 3 THEN 4 WHEN 4 THEN 4 WHEN 5 THEN 3 WHEN 6 THEN 2 "
             "WHEN 7 THEN 1 ELSE 0 END")
    run(sa.text(f"INSERT INTO survey_answers (ballot_id, question_id, seq, survey_id, level, "
                f"choice) SELECT b.id, q.id, 0, :survey, "
                f"CASE WHEN q.kind = 'satisfaction' THEN {level} END, "
                f"CASE WHEN q.kind = 'single' THEN CASE WHEN b.duration_seconds % 2 = 0 "
                f"THEN 'yes' ELSE 'no' END END "
                f"FROM survey_ballots b CROSS JOIN survey_questions q "
                f"WHERE b.survey_id = :survey AND q.survey_id = :survey "
                f"AND q.kind IN ('satisfaction', 'single')"), params)
    run(sa.text(f"INSERT INTO survey_participations (id, survey_id, respondent_key, "
                f"community_id) SELECT {uuid_expr}, :survey, 'h' || n, :community "
                f"FROM ({series}) s"), params)
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))
    return sum(1 for q in survey.questions if q.kind in ("satisfaction", "single"))


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


def _floor(survey_id):
    started = time.perf_counter()
    db.session.execute(sa.select(SurveyAnswer.question_id, SurveyAnswer.level, sa.func.count())
                       .where(SurveyAnswer.survey_id == survey_id)
                       .group_by(SurveyAnswer.question_id, SurveyAnswer.level)).all()
    db.session.commit()
    return time.perf_counter() - started


def _measure(label, fn, quiet=False):
    times = {}
    for run in ("cold", "warm"):
        counter = QueryCounter()
        sa.event.listen(db.engine, "before_cursor_execute", counter)
        db.session.expire_all()
        started = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - started
        sa.event.remove(db.engine, "before_cursor_execute", counter)
        times[run] = elapsed
        if not quiet:
            print(f"{label:<40} {run}: {elapsed * 1000:8.1f} ms, {counter.count} SQL statements")
    return times


def main():
    quiet = "--json" in sys.argv
    url = _database_url()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "APP_ENV": "testing", "LOG_LEVEL": "WARNING"})
    with app.app_context():
        upgrade(revision="heads")
        survey, community = _setup()
        started = time.perf_counter()
        per_ballot = _fill(survey, community)
        fill_seconds = time.perf_counter() - started
        if not quiet:
            print(f"backend: {db.engine.dialect.name}; {BALLOTS:,} ballots x {per_ballot} "
                  f"answers written in {fill_seconds:.1f} s (not measured below)")
        survey_id, ids = survey.id, [community.id]
        floor = _floor(survey_id)
        compute = _measure("results (GET /surveys/{id}/results)",
                           lambda: results.compute(db.session.get(Survey, survey_id), ids), quiet)
        # make bench reads only the results; scoring's read is printed when run by hand.
        sat = None if quiet else _measure(
            "scoring.satisfaction (one community)",
            lambda: scoring.satisfaction(ids, date(2026, 1, 1), date(2026, 12, 31)))
        body = results.compute(db.session.get(Survey, survey_id), ids)
        if not quiet:
            print(f"floor (one GROUP BY over the answers): {floor * 1000:8.1f} ms")
            print(f"check: counted ballots {body['ballots']['counted']:,}, overall 满意率 "
                  f"{body['overall']['rate']}, S4 n={body['areas'][3]['valid']:,}")
        backend = db.engine.dialect.name
        db.session.remove()
        db.engine.dispose()
    if quiet:
        print(json.dumps({"backend": backend, "ballots": BALLOTS, "fill_seconds": fill_seconds,
                          "results": compute, "satisfaction": sat, "floor_seconds": floor,
                          "counted": body["ballots"]["counted"]}))


if __name__ == "__main__":
    main()
