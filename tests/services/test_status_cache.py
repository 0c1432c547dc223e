"""Dropping the cached status page goes through the same guard as reading it: Redis dead or
hung, a recompute neither raises nor waits on Redis more than once (the broker's breaker then
skips it); the page's short TTL expires what could not be dropped."""
import pytest

from server import queues
from server.services.scoring import cache
from tests.faults.procs import RedisProcess

DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_invalidation_on_a_dead_redis_raises_nothing_and_trips_the_breaker(make_app):
    app = make_app(REDIS_URL=DEAD_REDIS)
    with app.app_context():
        broker = queues.broker()
        assert broker.available()
        assert cache.invalidate([1, 2, 3]) is None
        assert not broker.available()  # the next caller skips Redis instead of waiting


def test_while_the_breaker_is_open_invalidation_leaves_redis_alone(app):
    broker = queues.broker()
    conn = broker.connection
    conn.set(cache.key(7), "page")
    cache.invalidate([7])
    assert conn.get(cache.key(7)) is None  # the control: Redis up, the page is dropped
    conn.set(cache.key(7), "page")
    broker.trip(RuntimeError("Redis failed moments ago"))
    cache.invalidate([7])
    assert conn.get(cache.key(7)) == b"page"  # not asked: left to its TTL


@pytest.fixture
def hung_redis(tmp_path):
    server = RedisProcess(tmp_path / "redis").start()
    yield server
    server.stop()


def test_invalidation_on_a_hung_redis_returns_and_trips_the_breaker(make_app, hung_redis):
    app = make_app(REDIS_URL=hung_redis.url)
    with app.app_context():
        broker = queues.broker()
        broker.connection.set(cache.key(7), "page")
        hung_redis.pause()  # SIGSTOP: connections are accepted, nothing is answered
        try:
            assert cache.invalidate([7]) is None  # one read timeout, then it gives up
            assert not broker.available()
        finally:
            hung_redis.resume()
