"""The residents' status page is cached in Redis as finished JSON (status.py builds it). Its
key lives here so that whatever changes a community's standing (a recompute, a stage move, a
veto event) can drop the cached page without importing the page's builder."""
import logging

import redis

from server import queues

log = logging.getLogger(__name__)


def key(community_id):
    return f"scoring:status:{community_id}"


def invalidate(community_ids):
    ids = list(community_ids)
    try:
        conn = queues.connection()
        for start in range(0, len(ids), 1000):
            conn.delete(*[key(c) for c in ids[start:start + 1000]])
    except redis.RedisError as exc:  # the TTL expires it anyway
        log.warning("Could not drop cached statuses: %s", exc)
