"""What the benchmarks start and stop: a private PostgreSQL database, a Redis database of their
own, gunicorn with config/gunicorn.conf.py, `flask rq worker`, locust and pgbench.

Nothing here is a test fixture: the benchmarks print figures, they assert nothing.
"""
import csv
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import redis
import sqlalchemy as sa

from tests import redis_server

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379"
SECRET_KEY = "bench-secret-key-that-is-long-enough-0123456789"


def normalise(url):
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def libpq(url):
    """The URL without SQLAlchemy's driver suffix, for psql and pgbench."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def private_database(label):
    """An empty PostgreSQL database next to the one TEST_DATABASE_URL names, dropped after."""
    base = sa.engine.make_url(normalise(os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG))
    name = f"bench_{label}_{os.getpid()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def private_redis():
    """A Redis database (1-15) claimed for this run at REDIS_URL's server, emptied before and
    after use; the database REDIS_URL names is never touched."""
    shared = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    # The tests' claims: a bench and a test run on one server never share a database.
    url, number = redis_server.claim_database(shared, owner=f"bench-{os.getpid()}")
    own = redis.Redis.from_url(url)
    own.flushdb()
    try:
        yield url
    finally:
        own.flushdb()
        own.close()
        redis_server.release_database(shared, number)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(database_url, redis_url, **extra):
    """The environment of the API and worker processes: development defaults (no WeChat
    credentials, so messages are recorded as not configured) on the given database and Redis."""
    env = dict(os.environ)
    env.update({"APP_ENV": "development", "DATABASE_URL": database_url, "REDIS_URL": redis_url,
                "SECRET_KEY": SECRET_KEY, "DEV_LOGIN": "0", "LOG_LEVEL": "WARNING",
                "FLASK_APP": "server.app:create_app", "PYTHONPATH": str(ROOT)})
    # Locust's users all come from one address: the limiter runs (its cost is measured) with
    # ceilings no load reaches.
    env.update({f"RATE_LIMIT_{action}_PER_{scope}": "1000000/hour"
                for action in ("LOGIN", "UPLOAD", "REPORT", "SUPPORT")
                for scope in ("ACCOUNT", "IP")})
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Process:
    """A child process in its own process group, stopped (TERM, then KILL) on exit."""

    def __init__(self, args, env, log_path):
        self.log = open(log_path, "ab")
        self.popen = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log,
                                      stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self):
        return self.popen.pid

    def stop(self, timeout=15):
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(5)
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def gunicorn(app_spec, env, log_path, ready_path="/", port=None):
    """gunicorn with config/gunicorn.conf.py on 127.0.0.1:port; returns (Process, base URL)
    once a worker has loaded the app and answers ready_path (any status)."""
    port = port or free_port()
    env = dict(env, BIND=f"127.0.0.1:{port}")
    proc = Process([str(BIN / "gunicorn"), "-c", str(ROOT / "config" / "gunicorn.conf.py"),
                    app_spec], env, log_path)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port, proc, timeout=60)
        wait_for_answer(url + ready_path, proc, timeout=180)
    except Exception:
        proc.stop()
        raise
    return proc, url


def wait_for_answer(url, proc, timeout):
    """Workers import the app after the master binds; on a busy machine that takes a while."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise RuntimeError(f"process exited early ({proc.popen.returncode}); see its log")
        try:
            urllib.request.urlopen(url, timeout=10).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def rq_worker(env, log_path, *queues):
    return Process([str(BIN / "flask"), "rq", "worker", *queues], env, log_path)


def wait_for_port(port, proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise RuntimeError(f"process exited early ({proc.popen.returncode}); see its log")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port} after {timeout}s")


def locust(user_class, host, users, seconds, out_dir, env=None):
    """Run locust headless (closed loop: `users` connections, no think time) and return the
    aggregated figures of its CSV: requests/s, p50/p99 in ms, requests and failures."""
    prefix = Path(out_dir) / f"locust_{user_class}"
    args = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
            "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", host,
            "--csv", str(prefix), "--only-summary", "--reset-stats", "--stop-timeout", "10",
            "--exit-code-on-error", "0", "--loglevel", "WARNING", user_class]
    with open(f"{prefix}.log", "wb") as log:
        subprocess.run(args, cwd=ROOT, env=dict(os.environ, **(env or {})), stdout=log,
                       stderr=subprocess.STDOUT, timeout=seconds + 120, check=True)
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    by_name = {r["Name"]: _figures(r) for r in rows if r["Name"] != "Aggregated"}
    return dict(_figures(total), by_name=by_name)


def _figures(row):
    return {"rps": float(row["Requests/s"]), "p50_ms": float(row["50%"] or 0),
            "p99_ms": float(row["99%"] or 0), "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"])}


def pgbench_insert_tps(database_url, clients, seconds, out_dir):
    """pgbench's single-row insert TPS on a scratch table: the write ceiling."""
    url = libpq(database_url)
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c",
                    "CREATE TABLE IF NOT EXISTS bench_scratch (id bigserial PRIMARY KEY, "
                    "n integer NOT NULL, at timestamptz NOT NULL DEFAULT now())"],
                   check=True, capture_output=True)
    script = Path(out_dir) / "insert.sql"
    script.write_text("\\set n random(1, 1000000)\n"
                      "INSERT INTO bench_scratch (n) VALUES (:n);\n")
    done = subprocess.run(["pgbench", "-n", "-f", str(script), "-c", str(clients), "-j", "2",
                           "-T", str(seconds), url], check=True, capture_output=True, text=True,
                          timeout=seconds + 60)
    match = re.search(r"tps = ([\d.]+)", done.stdout)
    return float(match.group(1))


def rss_mb(pids):
    import psutil

    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def gunicorn_workers(master_pid):
    import psutil

    return [c.pid for c in psutil.Process(master_pid).children()]
