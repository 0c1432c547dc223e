"""Recompute the scores of up to 6,000 communities (the size of Shanghai) with their surveys
and reports, at several sizes, and print the times.

    .venv/bin/python bench/bench_recompute.py                  # SQLite in a temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/bench_recompute.py
    BENCH_RECOMPUTE_SIZES=500,1000,2000 BENCH_BALLOTS_PER_COMMUNITY=10 ...   # other sizes
    ... bench/bench_recompute.py --json                        # one JSON line (bench/run.py)

The database is migrated from empty and filled with set-based INSERT ... SELECT statements
(no row-by-row Python), growing from one size to the next: per community one closed survey's
ballots (15 satisfaction answers each) and closed reports. At each size the snapshots are
dropped and the nightly recompute runs for all communities; then once more with nothing
changed (its writes are counted from PostgreSQL's statistics, pg_stat_user_tables), and once
for one community. Use an empty PostgreSQL database: the benchmark creates its tables there.
"""
import json
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
from server.models import Cycle  # noqa: E402
from server.services.scoring import clock, compute, cycle as cycles, framework  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_RECOMPUTE_SIZES", "1500,3000,6000").split(",")]
BALLOTS = int(os.environ.get("BENCH_BALLOTS_PER_COMMUNITY", 20))
REPORTS = int(os.environ.get("BENCH_REPORTS_PER_COMMUNITY", 12))
QUESTIONS = 15


def fill_fixed():
    """The rows every size shares: the org tree, a survey and its questions, a category."""
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
    run(sa.text("INSERT INTO surveys (id, title, intro, status, response_unit, "
                "definition_version, min_duration_seconds, count_flagged, opens_at, closes_at, "
                "owner_unit_id, created_by_id, created_at, closed_at, mixed_ballots) VALUES "
                "(1, '满意度', '', 'closed', 'household', 'SH-2021-v1', 30, false, "
                "'2026-05-01 00:00:00', '2026-06-01 00:00:00', 1, 1, "
                "CURRENT_TIMESTAMP, '2026-06-01 00:00:00', 0)"))
    run(sa.text(f"INSERT INTO survey_questions (id, survey_id, position, key, kind, text, "
                f"required, options, area_code, indicator_code) "
                f"SELECT n, 1, n, 'q' || n, 'satisfaction', '问题', true, '[]', "
                f"'S' || (1 + n % 7), NULL FROM ({_series(QUESTIONS)}) s"))
    run(sa.text("INSERT INTO report_categories (id, code, name, area, handler, hint, "
                "contact_days, accept_days, resolve_days, public, emergency, sort_order, "
                "active) VALUES (1, 'env', '环境', 'S4', 'committee', '', 1, 1, 5, true, false, "
                "0, true)"))
    db.session.commit()


def fill(first, last):
    """Communities first..last with their ballots, answers and reports."""
    run = db.session.execute
    span = f"c.id BETWEEN {first} AND {last}"
    run(sa.text(f"INSERT INTO communities (id, code, name, address, households, "
                f"residential_area_id, street_id, district_id, city_id, created_at) "
                f"SELECT n, 'C' || n, '小区' || n, '', 200 + n % 300, 4, 3, 2, 1, "
                f"CURRENT_TIMESTAMP FROM ({_series(last, first)}) s"))
    run(sa.text(f"INSERT INTO survey_communities (survey_id, community_id) "
                f"SELECT 1, c.id FROM communities c WHERE {span}"))
    run(sa.text(f"INSERT INTO survey_ballots (id, survey_id, community_id, building, "
                f"answered_on, assisted, too_fast, straight_line) "
                f"SELECT {_uuid_expr()}, 1, c.id, '', '2026-05-20', false, false, false "
                f"FROM communities c CROSS JOIN ({_series(BALLOTS)}) s WHERE {span}"))
    run(sa.text(f"INSERT INTO survey_answers (ballot_id, question_id, seq, survey_id, level) "
                f"SELECT b.id, q.id, 0, 1, 1 + (q.id + b.community_id) % 5 "
                f"FROM survey_ballots b CROSS JOIN survey_questions q "
                f"WHERE b.community_id BETWEEN {first} AND {last}"))
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
                f"FROM communities c CROSS JOIN ({_series(REPORTS)}) s WHERE {span}"))
    db.session.commit()
    _analyze()


def _series(last, first=1):
    if db.engine.dialect.name == "postgresql":
        return f"SELECT generate_series({first}, {last}) AS n"
    return (f"WITH RECURSIVE r(n) AS (SELECT {first} UNION ALL SELECT n + 1 FROM r "
            f"WHERE n < {last}) SELECT n FROM r")


def _uuid_expr():
    if db.engine.dialect.name == "postgresql":
        return "gen_random_uuid()"
    return "lower(hex(randomblob(16)))"


def _analyze():
    db.session.remove()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))


def rows_written():
    """Rows inserted, updated or deleted in this database so far, from PostgreSQL's statistics
    (None on SQLite). The pool is closed first: a backend flushes its counters when it exits."""
    if db.engine.dialect.name != "postgresql":
        return None
    db.session.remove()
    db.engine.dispose()
    time.sleep(1.5)
    with db.engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_stat_clear_snapshot()"))
        return int(conn.execute(sa.text(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_user_tables")).scalar_one())


def read_inputs():
    """The floor: one pass of plain SQL over every input row (answers and reports, grouped
    per community), without scoring anything. No recompute can read its inputs faster."""
    db.session.execute(sa.text(
        "SELECT b.community_id, a.question_id, count(*), sum(a.level) FROM survey_answers a "
        "JOIN survey_ballots b ON b.id = a.ballot_id GROUP BY 1, 2")).all()
    db.session.execute(sa.text(
        "SELECT community_id, count(*), sum(CASE WHEN fixed THEN 1 ELSE 0 END) FROM reports "
        "GROUP BY 1")).all()
    db.session.commit()


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _recompute(ids, cycle_id, day):
    return compute.recompute(ids, "bench", cycle=db.session.get(Cycle, cycle_id), on=day)


def measure(size, cycle_id, day):
    run = db.session.execute
    run(sa.text("DELETE FROM score_snapshots"))
    db.session.commit()
    _analyze()
    floor = _timed(read_inputs)[0]
    start = rows_written()
    full, written = _timed(lambda: _recompute(None, cycle_id, day))
    before = rows_written()
    again, rewritten = _timed(lambda: _recompute(None, cycle_id, day))
    after = rows_written()
    one_id = size // 2
    run(sa.text(f"DELETE FROM score_snapshots WHERE community_id = {one_id}"))
    db.session.commit()
    one, _ = _timed(lambda: _recompute([one_id], cycle_id, day))
    return {"communities": size, "ballots": size * BALLOTS, "answers": size * BALLOTS * QUESTIONS,
            "reports": size * REPORTS, "seconds": full, "snapshots": written,
            "unchanged_seconds": again, "unchanged_snapshots": rewritten,
            "rows_written": None if start is None else before - start,
            "unchanged_rows_written": None if before is None else after - before,
            "floor_seconds": floor,
            "one_community_ms": one * 1000}


def main():
    as_json = "--json" in sys.argv
    url = os.environ.get("BENCH_DATABASE_URL")
    tmp = None
    if not url:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{tmp.name}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "APP_ENV": "testing",
                      "REDIS_URL": os.environ.get("REDIS_URL", ""), "LOG_LEVEL": "WARNING"})
    runs = []
    with app.app_context():
        upgrade(revision="heads")
        fill_fixed()
        fw = framework.ensure_default()
        cycle_id = cycles.ensure_cycle(2025, fw).id
        db.session.commit()
        day = clock.date(2026, 11, 29)
        filled = 0
        for size in sorted(SIZES):
            fill_time, _ = _timed(lambda: fill(filled + 1, size))
            filled = size
            result = dict(measure(size, cycle_id, day), fill_seconds=fill_time)
            runs.append(result)
            if not as_json:
                print(f"{size:>6} communities, {result['ballots']:>9,} ballots, "
                      f"{result['reports']:>8,} reports (filled in {fill_time:.1f}s): "
                      f"recompute {result['seconds']:.2f}s ({result['snapshots']} written); "
                      f"unchanged {result['unchanged_seconds']:.2f}s "
                      f"({result['unchanged_rows_written']} rows written); "
                      f"one community {result['one_community_ms']:.0f} ms", flush=True)
        dialect = db.engine.dialect.name
        db.session.remove()
        db.engine.dispose()
        from server import queues
        queues.broker(app).close()
    if tmp is not None:
        tmp.cleanup()
    if as_json:
        print(json.dumps({"backend": dialect, "runs": runs}))


if __name__ == "__main__":
    main()
