"""The street's supervision view over 200 communities and 100,000 reports.

    .venv/bin/python bench/bench_street_view.py            # SQLite in a temporary folder
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/bench_street_view.py         # a scratch PostgreSQL database
    ... bench/bench_street_view.py --json                   # one JSON line (bench/run.py)

Prints how long the overview (per-committee counts and figures), the per-community figures
and the first page of overdue reports take, and how many SQL statements each sends: the count
must not grow with the number of communities. The floor is one plain GROUP BY over the
reports: no overview can read them faster.
"""
import json
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server import create_app  # noqa: E402
from server.auth import Actor  # noqa: E402
from server.extensions import db  # noqa: E402
from server.models import Report, Resident, Staff  # noqa: E402
from server.models.base import utcnow  # noqa: E402
from server.services import access, org  # noqa: E402
from server.services.reports import categories, figures, filing, supervision  # noqa: E402

COMMUNITIES, AREAS = 200, 40
REPORTS = int(os.environ.get("BENCH_REPORTS", 100_000))
DATABASE = f"civic_bench_street_{os.getpid()}"


def database_url():
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url:
        return f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    base = sa.engine.make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return base.set(database=DATABASE).render_as_string(hide_password=False)


def build():
    city = org.ensure_unit("SH", "上海市", "city")
    district = org.ensure_unit("XH", "徐汇区", "district", city)
    street = org.ensure_unit("XH-TP", "天平路街道", "street", district, kind="街道")
    areas = [org.ensure_unit(f"XH-TP-R{a:02d}", f"居民区{a}", "residential_area", street)
             for a in range(AREAS)]
    communities = [org.ensure_community(f"XH-TP-{c:03d}", f"小区{c}", areas[c % AREAS], "", 100,
                                        [])
                   for c in range(COMMUNITIES)]
    categories.load_categories()
    resident = Resident(openid="bench")
    staff = Staff(username="bench-street", password_hash="x", role="street", scope_unit=street)
    db.session.add_all([resident, staff])
    db.session.commit()
    cats = [c.id for c in categories.list_categories() if not c.emergency]
    ids = [c.id for c in communities]
    if db.engine.dialect.name == "postgresql":
        fill_set_based(cats, ids, resident.id)
        return staff
    rng = random.Random(5)
    now = utcnow()
    rows = []
    for _ in range(REPORTS):
        created = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
        status = rng.choice(("submitted", "accepted", "in_progress", "resolved", "closed",
                             "closed", "closed", "rejected"))
        row = {"community_id": rng.choice(ids), "category_id": rng.choice(cats),
               "reporter_id": resident.id, "description": "x", "status": status,
               "building": f"{rng.randrange(1, 30)}号楼", "created_at": created,
               "updated_at": created, "accept_due_at": created + timedelta(days=1),
               "contact_due_at": created + timedelta(days=1),
               "resolve_due_at": created + timedelta(days=7)}
        row["building_key"] = row["building"][:-2]
        if status != "submitted":
            row["decided_at"] = row["accepted_at"] = created + timedelta(hours=rng.randrange(48))
            row["contacted_at"] = created + timedelta(hours=rng.randrange(72))
        if status in ("resolved", "closed"):
            row["resolved_at"] = created + timedelta(hours=rng.randrange(24, 400))
        if status in ("closed", "rejected"):
            row["closed_at"] = created + timedelta(days=20)
            row["fixed"] = status == "closed" and rng.random() < 0.9
            row["rating"] = rng.choice(("satisfied", "basically_satisfied", "dissatisfied",
                                        None)) if status == "closed" else None
            row["rework_count"] = int(row["rating"] == "dissatisfied")
        elif rng.random() < 0.2:
            row["overdue_at"] = created + timedelta(days=8)
        rows.append(row)
    keys = set().union(*rows)
    for start in range(0, len(rows), 10_000):
        db.session.execute(sa.insert(Report), [{k: r.get(k) for k in keys}
                                               for r in rows[start:start + 10_000]])
    db.session.commit()
    return staff


STATUSES = ("submitted", "accepted", "in_progress", "resolved", "closed", "closed", "closed",
            "rejected")


def fill_set_based(cats, ids, reporter_id):
    """The same mix as the Python fill below, as one INSERT ... SELECT over generate_series
    (PostgreSQL): seconds instead of minutes for 100,000 reports."""
    def pick(values, salt):
        whens = " ".join(f"WHEN {i} THEN {v!r}" for i, v in enumerate(values))
        return f"(CASE (n * {salt}) % {len(values)} {whens} END)"

    status = pick(STATUSES, 7)
    handled = f"{status} <> 'submitted'"
    ended = f"{status} IN ('closed', 'rejected')"
    created = "(now() - make_interval(mins => (n * 7919) % 525600))"
    rating = (f"CASE WHEN {status} = 'closed' THEN "
              f"{pick(('satisfied', 'basically_satisfied', 'dissatisfied', 'none'), 11)} END")
    columns = {
        "community_id": pick(ids, 13), "category_id": pick(cats, 17),
        "reporter_id": str(reporter_id), "description": "'x'", "status": status,
        "building": "(1 + n % 29) || '号楼'", "building_key": "(1 + n % 29)::text",
        "created_at": created, "updated_at": created,
        "accept_due_at": f"{created} + interval '1 day'",
        "contact_due_at": f"{created} + interval '1 day'",
        "resolve_due_at": f"{created} + interval '7 days'",
        "decided_at": f"CASE WHEN {handled} THEN {created} + make_interval(hours => n % 48) END",
        "accepted_at": f"CASE WHEN {handled} THEN {created} + make_interval(hours => n % 48) END",
        "contacted_at": f"CASE WHEN {handled} THEN {created} + make_interval(hours => n % 72) "
                        f"END",
        "resolved_at": f"CASE WHEN {status} IN ('resolved', 'closed') THEN {created} "
                       f"+ make_interval(hours => 24 + n % 376) END",
        "closed_at": f"CASE WHEN {ended} THEN {created} + interval '20 days' END",
        "fixed": f"CASE WHEN {ended} THEN {status} = 'closed' AND n % 10 <> 0 END",
        "rating": f"NULLIF({rating}, 'none')",
        "rework_count": f"CASE WHEN NULLIF({rating}, 'none') = 'dissatisfied' THEN 1 ELSE 0 END",
        "overdue_at": f"CASE WHEN NOT {ended} AND n % 5 = 0 THEN {created} + interval '8 days' "
                      f"END"}
    select = sa.select(*[sa.literal_column(expr).label(name) for name, expr in columns.items()]
                       ).select_from(sa.text(f"generate_series(1, {REPORTS}) AS n"))
    db.session.execute(sa.insert(Report.__table__).from_select(list(columns), select,
                                                               include_defaults=True))
    db.session.commit()


def floor():
    started = time.perf_counter()
    db.session.execute(sa.select(Report.community_id, Report.status, sa.func.count())
                       .group_by(Report.community_id, Report.status)).all()
    db.session.commit()
    return time.perf_counter() - started


def measure(label, fn, quiet=False):
    statements = []

    def count(*args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    db.session.expire_all()
    started = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - started
    event.remove(db.engine, "before_cursor_execute", count)
    if not quiet:
        print(f"{label:<44} {elapsed * 1000:8.1f} ms  {len(statements):3d} queries")
    return elapsed


def main():
    quiet = "--json" in sys.argv
    url = database_url()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "APP_ENV": "testing", "WECHAT_APP_ID": "",
                      "REDIS_URL": "", "LOG_LEVEL": "WARNING"})
    with app.app_context():
        upgrade(revision="heads")
        started = time.perf_counter()
        staff = build()
        fill_seconds = time.perf_counter() - started
        if not quiet:
            print(f"{db.engine.dialect.name}: {COMMUNITIES} communities, {REPORTS:,} reports "
                  f"loaded in {fill_seconds:.1f} s")
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("ANALYZE"))
        actor = Actor(staff=db.session.get(Staff, staff.id))
        today = utcnow().date()
        since, until = today - timedelta(days=365), today
        base = floor()
        times = {
            "overview": measure("street overview (40 committees, figures)",
                                lambda: supervision.overview(actor, since, until), quiet),
            "figures": measure("figures for each of 200 communities",
                               lambda: figures.grouped(access.community_filter(actor.staff),
                                                       since, until), quiet),
            "overdue_page": measure("overdue reports, first page of 20",
                                    lambda: filing.list_for(actor, {"overdue": True, "page": 1,
                                                                    "per_page": 20}), quiet)}
        if not quiet:
            print(f"floor (one GROUP BY over the reports)        {base * 1000:8.1f} ms")
        backend = db.engine.dialect.name
        db.session.remove()
        db.engine.dispose()
    if url.startswith("postgresql"):
        admin = sa.create_engine(sa.engine.make_url(url).set(database="postgres"),
                                 isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{DATABASE}" WITH (FORCE)'))
        admin.dispose()
    if quiet:
        print(json.dumps({"backend": backend, "communities": COMMUNITIES, "reports": REPORTS,
                          "fill_seconds": fill_seconds, "floor_seconds": base, **times}))


if __name__ == "__main__":
    main()
