"""The residents' status page is cached in Redis as finished JSON (status.py builds it). Its
key lives here so that whatever changes a community's standing (a recompute, a stage move, a
veto event) can drop the cached page without importing the page's builder.

The cache is optional, so every Redis call goes through `guarded`: the broker's short
timeouts, and after a failure its breaker skips Redis for REDIS_RETRY_AFTER seconds, so a
dead or hung Redis costs one timeout, never one per call. A read that is skipped rebuilds the
page; a drop that is skipped leaves the page to its short TTL (STATUS_CACHE_SECONDS)."""
import logging

import redis

from server import queues
from server.services.scoring import clock

log = logging.getLogger(__name__)


def key(community_id):
    # Keyed by the Shanghai date as well: what the page says can change with the calendar
    # alone (a title lapses on 1 January), and a new day must not read yesterday's page.
    return f"scoring:status:{community_id}:{clock.today().isoformat()}"


def guarded(action):
    """Run `action(connection)` unless Redis failed moments ago; None when it is unavailable
    (the failure trips the breaker, and is logged, never raised)."""
    broker = queues.broker()
    if not broker.available():
        return None
    try:
        return action(broker.connection)
    except redis.RedisError as exc:
        broker.trip(exc)
        log.warning("Status cache unavailable: %s", exc)
        return None


def invalidate(community_ids):
    ids = list(community_ids)

    def drop(conn):
        for start in range(0, len(ids), 1000):
            conn.delete(*[key(c) for c in ids[start:start + 1000]])

    if ids:
        guarded(drop)
