"""The residents' status page is cached in Redis as finished JSON (status.py builds it). Its
key lives here so that whatever changes a community's standing (a recompute, a stage move, a
veto event) can drop the cached page without importing the page's builder."""
import logging

import redis

from server import queues
from server.services.scoring import clock

log = logging.getLogger(__name__)


def key(community_id):
    # Keyed by the Shanghai date as well: what the page says can change with the calendar
    # alone (a title lapses on 1 January), and a new day must not read yesterday's page.
    return f"scoring:status:{community_id}:{clock.today().isoformat()}"


def invalidate(community_ids):
    ids = list(community_ids)
    try:
        conn = queues.connection()
        for start in range(0, len(ids), 1000):
            conn.delete(*[key(c) for c in ids[start:start + 1000]])
    except redis.RedisError as exc:  # the TTL expires it anyway
        log.warning("Could not drop cached statuses: %s", exc)
