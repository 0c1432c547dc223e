"""`make soak`: the API under gunicorn (config/gunicorn.conf.py) and an RQ worker at a steady
mixed load for BENCH_SOAK_SECONDS (600 by default, the issue's ten minutes). Passes when no
answer was a 5xx (or no answer at all) and the gunicorn workers' memory stayed flat.

    .venv/bin/python bench/soak.py                       # ten minutes
    BENCH_SOAK_SECONDS=90 .venv/bin/python bench/soak.py  # a shorter run, same verdict

Like `make bench` it starts what it measures: a private PostgreSQL database next to
TEST_DATABASE_URL's (or postgresql://postgres@127.0.0.1:5432/test) and a Redis database of its
own at REDIS_URL. Writes bench/SOAK.md (the verdict, the answers by status, memory over time)
and bench/out/soak.json; exits 1 when the verdict is FAIL.

Memory: the resident set of every gunicorn worker is sampled every BENCH_SOAK_SAMPLE seconds
(5). The first quarter of the run, at most 60 s, is warm-up (imports, pools and caches filled
by the first requests) and is shown but not judged. Over the rest, a least-squares line
through the workers' total gives the growth over the judged window; it passes while that is
at most BENCH_SOAK_MAX_GROWTH_MB (16) or BENCH_SOAK_MAX_GROWTH_PCT (5) percent of the start,
whichever is larger. A leak grows with every request; noise and one-off allocations do not
keep a slope.
"""
import json
import os
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402
from bench.run import seed, step  # noqa: E402

OUT = harness.ROOT / "bench" / "out"
RESULT = harness.ROOT / "bench" / "SOAK.md"


def settings():
    env = os.environ
    return {"seconds": int(env.get("BENCH_SOAK_SECONDS", 600)),
            "users": int(env.get("BENCH_SOAK_USERS", 16)),
            "sample_every": float(env.get("BENCH_SOAK_SAMPLE", 5)),
            "max_growth_mb": float(env.get("BENCH_SOAK_MAX_GROWTH_MB", 16)),
            "max_growth_pct": float(env.get("BENCH_SOAK_MAX_GROWTH_PCT", 5)),
            "communities": int(env.get("BENCH_SOAK_COMMUNITIES", 10)),
            "households": int(env.get("BENCH_SOAK_HOUSEHOLDS", 100))}


def sample_memory(api, worker, samples, stop, every, started):
    while not stop.is_set():
        workers = harness.gunicorn_workers(api.pid)
        samples.append({"t": round(time.monotonic() - started, 1),
                        "workers": {str(pid): round(harness.rss_mb([pid]), 1)
                                    for pid in workers},
                        "workers_mb": round(harness.rss_mb(workers), 1),
                        "master_mb": round(harness.rss_mb([api.pid]), 1),
                        "rq_worker_mb": round(harness.rss_mb([worker.pid]), 1)})
        stop.wait(every)


def slope(points):
    """Least-squares slope of [(t, value)], in value per second."""
    n = len(points)
    if n < 2:
        return 0.0
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if not spread:
        return 0.0
    return sum((t - mean_t) * (v - mean_v) for t, v in points) / spread


def judge_memory(samples, s):
    warmup = min(60.0, s["seconds"] / 4)
    judged = [x for x in samples if x["t"] >= warmup] or samples
    points = [(x["t"], x["workers_mb"]) for x in judged]
    per_second = slope(points)
    window = judged[-1]["t"] - judged[0]["t"]
    start, end = judged[0]["workers_mb"], judged[-1]["workers_mb"]
    growth = per_second * window
    allowed = max(s["max_growth_mb"], start * s["max_growth_pct"] / 100)
    return {"warmup_seconds": warmup, "judged_seconds": round(window, 1),
            "start_mb": start, "end_mb": end,
            "max_mb": max(x["workers_mb"] for x in samples),
            "min_mb": min(x["workers_mb"] for x in judged),
            "slope_mb_per_min": round(per_second * 60, 3), "growth_mb": round(growth, 1),
            "allowed_mb": round(allowed, 1), "flat": growth <= allowed,
            "rq_worker_start_mb": judged[0]["rq_worker_mb"],
            "rq_worker_end_mb": judged[-1]["rq_worker_mb"],
            "workers_replaced": len({pid for x in samples for pid in x["workers"]})
            - len(samples[0]["workers"])}


def judge_answers(statuses):
    by_class = {}
    for row in statuses:
        key = "no answer" if row["status"] == 0 else f"{row['status'] // 100}xx"
        by_class[key] = by_class.get(key, 0) + row["count"]
    bad = sum(row["count"] for row in statuses if row["status"] == 0 or row["status"] >= 500)
    return {"total": sum(row["count"] for row in statuses), "by_class": by_class,
            "five_xx_or_none": bad}


def run(s):
    OUT.mkdir(exist_ok=True)
    status_file = OUT / "soak_statuses.json"
    status_file.unlink(missing_ok=True)
    with harness.private_redis() as redis_url, harness.private_database("soak") as db_url:
        step(f"seeding {s['communities']} communities × {s['households']} households")
        _, data, data_path = seed(db_url, redis_url, {
            "communities": s["communities"], "households": s["households"]})
        env = harness.app_env(db_url, redis_url)
        api, url = harness.gunicorn("server:create_app()", env, OUT / "soak_api.log",
                                    ready_path="/api/v1/me")
        with api, harness.rq_worker(env, OUT / "soak_worker.log") as worker:
            step(f"soak: {s['users']} users, mixed load for {s['seconds']}s under gunicorn")
            samples, stop = [], threading.Event()
            started = time.monotonic()
            sampler = threading.Thread(target=sample_memory, daemon=True, args=(
                api, worker, samples, stop, s["sample_every"], started))
            sampler.start()
            try:
                load = harness.locust("Soak", url, s["users"], s["seconds"], OUT, {
                    "BENCH_LOAD_DATA": str(data_path), "BENCH_STATUS_FILE": str(status_file)})
            finally:
                stop.set()
                sampler.join(30)
            alive = api.popen.poll() is None and worker.popen.poll() is None
    statuses = json.loads(status_file.read_text())
    return {"settings": s, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cores": os.cpu_count(), "load_average": os.getloadavg(),
            "residents": len(data["residents"]), "load": load, "statuses": statuses,
            "answers": judge_answers(statuses), "memory": judge_memory(samples, s),
            "samples": samples, "processes_alive": alive}


def verdict(result):
    return (result["answers"]["five_xx_or_none"] == 0 and result["memory"]["flat"]
            and result["processes_alive"] and result["answers"]["total"] > 0)


def markdown(result):
    s, a, m = result["settings"], result["answers"], result["memory"]
    lines = [
        "# make soak", "",
        f"**{'PASS' if verdict(result) else 'FAIL'}**: {a['five_xx_or_none']} answers 5xx or "
        f"missing of {a['total']}; gunicorn workers' memory "
        f"{m['start_mb']:.0f} → {m['end_mb']:.0f} MB over the judged {m['judged_seconds']:.0f} s, "
        f"fitted growth {m['growth_mb']:+.1f} MB (allowed {m['allowed_mb']:.0f} MB): "
        f"{'flat' if m['flat'] else 'GROWING'}.", "",
        f"- Run: {result['date']}, {s['seconds']} s, {s['users']} locust users (0.05–0.25 s "
        f"between requests), {result['residents']} residents in {s['communities']} communities; "
        f"{result['cores']} cores, load average at the end "
        f"{', '.join(f'{x:.1f}' for x in result['load_average'])} (a shared machine).",
        "- Served by gunicorn with config/gunicorn.conf.py, an RQ worker working the outbox; "
        "PostgreSQL and Redis are private to the run. `make soak`; "
        "`BENCH_SOAK_SECONDS=90 make soak` for a shorter run (bench/soak.py says how it judges).",
        f"- Throughput {result['load']['rps']:.1f} requests/s, p50 {result['load']['p50_ms']:.0f} "
        f"ms, p99 {result['load']['p99_ms']:.0f} ms (not judged: `make bench` measures speed).",
        "", "## Answers by request and status", "", "| request | status | count |", "|---|---|---|"]
    lines += [f"| {row['name']} | {row['status'] or 'no answer'} | {row['count']} |"
              for row in result["statuses"]]
    lines += ["", "409 on submit is the household's expected answer once someone in it has "
              "answered; the load wraps around the residents.", "",
              "## Memory (resident set, MB)", "",
              f"Warm-up {m['warmup_seconds']:.0f} s (shown, not judged). Judged window: start "
              f"{m['start_mb']:.1f}, end {m['end_mb']:.1f}, lowest {m['min_mb']:.1f}, highest of "
              f"the run {m['max_mb']:.1f}; slope {m['slope_mb_per_min']:+.3f} MB/min; RQ worker "
              f"{m['rq_worker_start_mb']:.0f} → {m['rq_worker_end_mb']:.0f}; gunicorn workers "
              f"replaced during the run: {m['workers_replaced']}.", "",
              "| t (s) | gunicorn workers (sum) | per worker | master | RQ worker |",
              "|---|---|---|---|---|"]
    step_every = max(1, len(result["samples"]) // 20)
    shown = result["samples"][::step_every]
    if shown[-1] is not result["samples"][-1]:
        shown.append(result["samples"][-1])
    lines += [f"| {x['t']:.0f} | {x['workers_mb']:.1f} | "
              f"{' / '.join(f'{v:.0f}' for v in x['workers'].values())} | {x['master_mb']:.0f} | "
              f"{x['rq_worker_mb']:.0f} |" for x in shown]
    return "\n".join(lines) + "\n"


def main():
    s = settings()
    result = run(s)
    (OUT / "soak.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    RESULT.write_text(markdown(result), encoding="utf-8")
    a, m = result["answers"], result["memory"]
    step(f"{'PASS' if verdict(result) else 'FAIL'}: {a['five_xx_or_none']} of {a['total']} "
         f"answers 5xx or missing; workers {m['start_mb']:.0f} → {m['end_mb']:.0f} MB, growth "
         f"{m['growth_mb']:+.1f} MB (allowed {m['allowed_mb']:.0f}); wrote "
         f"{RESULT.relative_to(harness.ROOT)}")
    return 0 if verdict(result) else 1


if __name__ == "__main__":
    sys.exit(main())
