"""Recompute the scores of 6,000 communities (the size of Shanghai) with their surveys and
reports, as one job run, and print the time.

    .venv/bin/python bench/bench_recompute.py                  # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/bench_recompute.py

The database is migrated from empty and filled with set-based INSERT ... SELECT statements
(no row-by-row Python): 6,000 communities, one closed survey with 15 satisfaction questions
and 20 ballots per community, 12 closed reports per community. Then the nightly recompute
runs once, and once more to show that unchanged inputs write nothing.
Use an empty PostgreSQL database: the benchmark creates its tables there.
"""
import os
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from server import create_app  # noqa: E402
from server.extensions import db  # noqa: E402
from server.services.scoring import clock, compute, cycle as cycles, framework  # noqa: E402

COMMUNITIES = int(os.environ.get("BENCH_COMMUNITIES", 6000))
BALLOTS, REPORTS, QUESTIONS = 20, 12, 15


def fill():
    run = db.session.execute
    run(sa.text("INSERT INTO org_units (id, code, name, level, created_at) VALUES "
                "(1, 'SH', '上海市', 'city', CURRENT_TIMESTAMP), "
                "(2, 'D', '区', 'district', CURRENT_TIMESTAMP), "
                "(3, 'S', '街道', 'street', CURRENT_TIMESTAMP), "
                "(4, 'R', '居民区', 'residential_area', CURRENT_TIMESTAMP)"))
    run(sa.text("INSERT INTO staff (id, username, display_name, password_hash, role, "
                "scope_unit_id, active, created_at) VALUES "
                "(1, 'bench', 'bench', 'x', 'city', 1, true, CURRENT_TIMESTAMP)"))
    run(sa.text("INSERT INTO residents (id, openid, nickname, created_at) "
                "VALUES (1, 'bench', '', CURRENT_TIMESTAMP)"))
    series = _series(max(COMMUNITIES, BALLOTS, REPORTS, QUESTIONS))
    run(sa.text(f"INSERT INTO communities (id, code, name, address, households, "
                f"residential_area_id, street_id, district_id, city_id, created_at) "
                f"SELECT n, 'C' || n, '小区' || n, '', 200 + n % 300, 4, 3, 2, 1, "
                f"CURRENT_TIMESTAMP FROM ({series}) s WHERE n <= {COMMUNITIES}"))
    run(sa.text("INSERT INTO surveys (id, title, intro, status, response_unit, "
                "definition_version, min_duration_seconds, count_flagged, opens_at, closes_at, "
                "owner_unit_id, created_by_id, created_at, closed_at, mixed_ballots) VALUES "
                "(1, '满意度', '', 'closed', 'household', 'SH-2021-v1', 30, false, "
                "'2026-05-01 00:00:00', '2026-06-01 00:00:00', 1, 1, "
                "CURRENT_TIMESTAMP, '2026-06-01 00:00:00', 0)"))
    run(sa.text(f"INSERT INTO survey_communities (survey_id, community_id) "
                f"SELECT 1, id FROM communities"))
    run(sa.text(f"INSERT INTO survey_questions (id, survey_id, position, key, kind, text, "
                f"required, options, area_code, indicator_code) "
                f"SELECT n, 1, n, 'q' || n, 'satisfaction', '问题', true, '[]', "
                f"'S' || (1 + n % 7), NULL FROM ({series}) s WHERE n <= {QUESTIONS}"))
    uid = _uuid_expr()
    run(sa.text(f"INSERT INTO survey_ballots (id, survey_id, community_id, building, "
                f"answered_on, assisted, too_fast, straight_line) "
                f"SELECT {uid}, 1, c.id, '', '2026-05-20', false, false, false "
                f"FROM communities c CROSS JOIN ({series}) s WHERE s.n <= {BALLOTS}"))
    run(sa.text(f"INSERT INTO survey_answers (ballot_id, question_id, seq, survey_id, level) "
                f"SELECT b.id, q.id, 0, 1, 1 + (q.id + b.community_id) % 5 "
                f"FROM survey_ballots b CROSS JOIN survey_questions q"))
    run(sa.text("INSERT INTO report_categories (id, code, name, area, handler, hint, "
                "contact_days, accept_days, resolve_days, public, emergency, sort_order, "
                "active) VALUES (1, 'env', '环境', 'S4', 'committee', '', 1, 1, 5, true, false, "
                "0, true)"))
    run(sa.text(f"INSERT INTO reports (community_id, category_id, reporter_id, description, "
                f"building, building_key, is_public, status, handler_kind, handler_name, "
                f"referral_ref, reply, support_count, rework_count, rating, created_at, "
                f"updated_at, accepted_at, resolved_at, closed_at, close_reason, fixed, "
                f"resolve_due_at, deadline_error) "
                f"SELECT c.id, 1, 1, '问题', '1', '1', true, 'closed', 'committee', '', '', '', "
                f"0, 0, CASE WHEN s.n % 4 = 0 THEN 'dissatisfied' ELSE 'satisfied' END, "
                f"'2026-05-10 02:00:00', '2026-05-10 02:00:00', "
                f"'2026-05-10 03:00:00', '2026-05-12 03:00:00', '2026-05-13 03:00:00', "
                f"'confirmed', s.n % 5 <> 0, '2026-05-14 10:00:00', '' "
                f"FROM communities c CROSS JOIN ({series}) s WHERE s.n <= {REPORTS}"))
    db.session.commit()


def _series(n):
    if db.engine.dialect.name == "postgresql":
        return f"SELECT generate_series(1, {n}) AS n"
    return (f"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < {n}) "
            f"SELECT n FROM r")


def _uuid_expr():
    if db.engine.dialect.name == "postgresql":
        return "gen_random_uuid()"
    return "lower(hex(randomblob(16)))"


def main():
    url = os.environ.get("BENCH_DATABASE_URL")
    tmp = None
    if not url:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{tmp.name}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "APP_ENV": "testing",
                      "REDIS_URL": os.environ.get("REDIS_URL", "")})
    with app.app_context():
        upgrade(revision="heads")
        started = time.perf_counter()
        fill()
        print(f"filled {COMMUNITIES} communities in {time.perf_counter() - started:.1f}s "
              f"({db.engine.dialect.name})")
        fw = framework.ensure_default()
        cycle = cycles.ensure_cycle(2025, fw)
        db.session.commit()
        day = clock.date(2026, 11, 29)
        started = time.perf_counter()
        written = compute.recompute(None, "bench", cycle=cycle, on=day)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = compute.recompute(None, "bench", cycle=cycle, on=day)
        second = time.perf_counter() - started
        print(f"recompute, {written} snapshots written: {first:.2f}s")
        print(f"recompute again, {again} written (inputs unchanged): {second:.2f}s")
        db.engine.dispose()
        from server import queues
        queues.broker(app).close()
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
