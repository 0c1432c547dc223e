"""`make bench`: every figure of issue 12 in one run, each with its ceiling, ratio and target.

    .venv/bin/python bench/run.py            # the full run (under 15 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # small sizes, seconds per step: for development
    .venv/bin/python bench/run.py --render   # RESULTS.md and the chart again from bench/out

It starts what it measures: a private PostgreSQL database (next to TEST_DATABASE_URL's, or
postgresql://postgres@127.0.0.1:5432/test) and a Redis database of its own (at REDIS_URL, or
redis://127.0.0.1:6379), gunicorn with config/gunicorn.conf.py serving the API and, for the
read ceiling, bench/bare_app.py; a `flask rq worker` for the memory soak; locust (headless)
as the load generator and pgbench for the write ceiling. It prints a table, writes
bench/RESULTS.md and bench/scaling.png; logs and locust's CSV files go to bench/out/.

Settings: BENCH_SOAK_SECONDS (memory soak; the issue's figure is 600), BENCH_USERS (32),
BENCH_LOAD_SECONDS (20 per load run). Load targets 127.0.0.1 only.
"""
import json
import os
import platform
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness, report  # noqa: E402

QUICK = "--quick" in sys.argv
OUT = harness.ROOT / "bench" / "out"
FULL = {"load_seconds": 20, "soak_seconds": 90, "communities": 50, "households": 100,
        "recompute_sizes": "1500,3000,6000", "ballots_per_community": 10,
        "reports_per_community": 50, "survey_ballots": 100_000, "street_reports": 100_000}
SMALL = {"load_seconds": 5, "soak_seconds": 20, "communities": 10, "households": 20,
         "recompute_sizes": "100,200,400", "ballots_per_community": 5,
         "reports_per_community": 10, "survey_ballots": 2_000, "street_reports": 2_000}


def settings():
    chosen = dict(SMALL if QUICK else FULL)
    chosen["users"] = int(os.environ.get("BENCH_USERS", 32))
    for key, env in (("load_seconds", "BENCH_LOAD_SECONDS"), ("soak_seconds",
                                                               "BENCH_SOAK_SECONDS")):
        if os.environ.get(env):
            chosen[key] = int(os.environ[env])
    return chosen


def versions(database_url, redis_url):
    import redis
    import sqlalchemy as sa

    engine = sa.create_engine(harness.normalise(database_url))
    with engine.connect() as conn:
        postgres = conn.execute(sa.text("SHOW server_version")).scalar_one()
    engine.dispose()
    client = redis.Redis.from_url(redis_url)
    redis_version = client.info("server")["redis_version"]
    client.close()
    libs = {name: metadata.version(name) for name in (
        "Flask", "SQLAlchemy", "psycopg", "gunicorn", "rq", "redis", "locust", "matplotlib")}
    pgbench = subprocess.run(["pgbench", "--version"], capture_output=True, text=True).stdout
    return {"python": platform.python_version(), "postgresql": postgres,
            "redis": redis_version, "pgbench": pgbench.strip(), **libs}


def seed(database_url, redis_url, s):
    """Migrate the private database and write the load's data (tokens, ids) to a JSON file."""
    from flask_migrate import upgrade

    from bench import load_data
    from server import create_app, queues
    from server.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": harness.normalise(database_url),
                      "REDIS_URL": redis_url, "SECRET_KEY": harness.SECRET_KEY,
                      "APP_ENV": "development", "LOG_LEVEL": "WARNING"})
    with app.app_context():
        upgrade(revision="heads")
        data = load_data.seed(s["communities"], s["households"])
        db.session.remove()
        db.engine.dispose()
        queues.broker(app).close()
    path = OUT / "load_data.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return app, data, path


def survey_counts(app, survey_id):
    from bench import load_data
    from server.extensions import db

    with app.app_context():
        counts = load_data.survey_counts(survey_id)
        db.session.remove()
        db.engine.dispose()
    return counts


def warm_status(url, data):
    """One read per community fills the status cache, so the timed run reads it cached."""
    seen = set()
    for resident in data["residents"]:
        if resident["community_id"] in seen:
            continue
        seen.add(resident["community_id"])
        request = urllib.request.Request(
            f"{url}/api/v1/communities/{resident['community_id']}/status",
            headers={"Authorization": f"Bearer {resident['token']}"})
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()


def http_figures(s, results):
    users, seconds = s["users"], s["load_seconds"]
    with harness.private_redis() as redis_url, harness.private_database("api") as db_url:
        results["versions"] = versions(db_url, redis_url)
        step("seeding the API's data")
        app, data, data_path = seed(db_url, redis_url, s)
        load_env = {"BENCH_LOAD_DATA": str(data_path)}
        step(f"write ceiling: pgbench, {users} clients, {seconds}s")
        results["pgbench_tps"] = harness.pgbench_insert_tps(db_url, users, seconds, OUT)
        step(f"read ceiling: bare Flask under gunicorn, {users} users, {seconds}s")
        env = harness.app_env(db_url, redis_url)
        bare, url = harness.gunicorn("bench.bare_app:create_app()", env, OUT / "bare.log")
        with bare:
            results["bare"] = harness.locust("BareRead", url, users, seconds, OUT)
        api, url = harness.gunicorn("server:create_app()", env, OUT / "api.log",
                                    ready_path="/api/v1/me")
        with api:
            warm_status(url, data)
            step(f"cached community status, {users} users, {seconds}s")
            results["status"] = harness.locust("StatusRead", url, users, seconds, OUT, load_env)
            step(f"survey submissions, {users} users, {seconds}s")
            results["submit"] = harness.locust("SurveySubmit", url, users, seconds, OUT,
                                               load_env)
            results["submit_counts"] = survey_counts(app, data["survey_id"])
            results["soak"] = soak(api, url, env, s, load_env)


def soak(api, url, env, s, load_env):
    """Mixed load for soak_seconds with a worker running; sample resident memory every 5 s."""
    step(f"memory soak: mixed load for {s['soak_seconds']}s with a worker")
    samples = []
    stop = threading.Event()
    with harness.rq_worker(env, OUT / "worker.log") as worker:
        started = time.monotonic()

        def sample():
            while not stop.is_set():
                workers = harness.gunicorn_workers(api.pid)
                samples.append({"t": time.monotonic() - started,
                                "api_mb": harness.rss_mb([api.pid, *workers]),
                                "worker_mb": harness.rss_mb([worker.pid])})
                stop.wait(5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            load = harness.locust("Mixed", url, max(4, s["users"] // 2), s["soak_seconds"], OUT,
                                  load_env)
        finally:
            stop.set()
            sampler.join(10)
    return {"seconds": s["soak_seconds"], "samples": samples, "load": load}


def in_process(script, env_extra, database_label=None):
    """Run one of the in-process benchmarks in its own process; return its JSON line."""
    def go(url):
        env = dict(os.environ, **env_extra, PYTHONPATH=str(harness.ROOT))
        env["BENCH_DATABASE_URL"] = url or ""
        done = subprocess.run([sys.executable, str(harness.ROOT / "bench" / script), "--json"],
                              env=env, capture_output=True, text=True, timeout=900)
        (OUT / f"{script}.{database_label or 'sqlite'}.log").write_text(done.stderr)
        done.check_returncode()
        return json.loads(done.stdout.strip().splitlines()[-1])

    if database_label is None:
        return go("")
    if script == "bench_street_view.py":
        # It creates and drops its own database next to the URL it is given.
        base = os.environ.get("TEST_DATABASE_URL") or harness.DEFAULT_PG
        return go(harness.normalise(base))
    with harness.private_database(database_label) as url:
        return go(url)


def step(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def render():
    """Write RESULTS.md and the chart again from bench/out/results.json (same figures)."""
    results = json.loads((OUT / "results.json").read_text())
    rows = report.rows(results)
    print(report.table(rows))
    target = harness.ROOT / "bench" / ("RESULTS.quick.md" if results["quick"] else "RESULTS.md")
    target.write_text(report.markdown(results, rows), encoding="utf-8")
    report.chart(results, target.with_name("scaling.quick.png" if results["quick"]
                                           else "scaling.png"))


def main():
    if "--render" in sys.argv:
        return render()
    s = settings()
    OUT.mkdir(exist_ok=True)
    started = time.monotonic()
    results = {"settings": s, "quick": QUICK, "cores": os.cpu_count(),
               "load_average": os.getloadavg(),
               "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    http_figures(s, results)
    step(f"recompute at {s['recompute_sizes']} communities (PostgreSQL)")
    results["recompute"] = in_process("bench_recompute.py", {
        "BENCH_RECOMPUTE_SIZES": s["recompute_sizes"],
        "BENCH_BALLOTS_PER_COMMUNITY": str(s["ballots_per_community"]),
        "BENCH_REPORTS_PER_COMMUNITY": str(s["reports_per_community"])}, "recompute")
    step(f"survey results, {s['survey_ballots']:,} ballots (PostgreSQL, SQLite)")
    ballots = {"BENCH_BALLOTS": str(s["survey_ballots"])}
    results["survey_pg"] = in_process("bench_survey_results.py", ballots, "survey")
    results["survey_sqlite"] = in_process("bench_survey_results.py", ballots)
    step(f"street overview, {s['street_reports']:,} reports (PostgreSQL)")
    results["street"] = in_process("bench_street_view.py",
                                   {"BENCH_REPORTS": str(s["street_reports"])}, "street")
    results["total_seconds"] = time.monotonic() - started
    (OUT / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    rows = report.rows(results)
    print(report.table(rows))
    target = harness.ROOT / "bench" / ("RESULTS.quick.md" if QUICK else "RESULTS.md")
    target.write_text(report.markdown(results, rows), encoding="utf-8")
    chart = harness.ROOT / "bench" / ("scaling.quick.png" if QUICK else "scaling.png")
    report.chart(results, chart)
    step(f"wrote {target.relative_to(harness.ROOT)} and {chart.relative_to(harness.ROOT)} "
         f"in {results['total_seconds']:.0f}s")


if __name__ == "__main__":
    main()
