"""Rate limits per account and per client address: logins, uploads, reports and "me too".

Each limited request takes its number in every window that applies (per account and per
address, e.g. 10 an hour and 30 a day) in one Lua script, so a burst cannot race past a limit.
When any window is over its limit the request is refused with 429 and gives all its numbers
back: a refused request did nothing, so it costs nothing, and whoever is refused by their
address keeps their own allowance. A window starts with its first request and lasts its
period (a fixed window from the first hit); Retry-After is the time left in the longest
window that refused.

Callers check before they write anything. An Idempotency-Key replay of a report already filed
is not a new request and is never counted or refused (server/api/reports.py).

Redis is optional here. While it is down or hung (the broker's breaker, server/queues.py) the
counts are kept in this process's memory instead: requests keep working, and a flood stays
bounded by the limit times the number of processes. A hung Redis costs one request one socket
timeout, then the breaker skips Redis for REDIS_RETRY_AFTER seconds.

Keys hold a hash of the account or address, never the openid or address itself.
"""
import hashlib
import logging
import threading
import time
from dataclasses import dataclass

import redis
from flask import current_app

from server import queues
from server.errors import TooManyRequests

log = logging.getLogger(__name__)

# KEYS: one counter per window; ARGV: limit1, seconds1, limit2, seconds2, ...
# Returns 0 when every window allows the request, else the seconds to wait (>= 1), after
# giving back every number taken.
_TAKE = """
local numbers = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 or redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, ARGV[2 * i]) end
  numbers[i] = n
end
local wait = 0
for i, key in ipairs(KEYS) do
  if numbers[i] > tonumber(ARGV[2 * i - 1]) then
    local ttl = redis.call('TTL', key)
    if ttl > wait then wait = ttl end
    if ttl < 1 and wait < 1 then wait = 1 end
  end
end
if wait > 0 then
  for _, key in ipairs(KEYS) do redis.call('DECR', key) end
end
return wait
"""


@dataclass(frozen=True)
class Window:
    key: str
    limit: int
    seconds: int


class MemoryCounts:
    """The same windows in this process, for while Redis is unavailable."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts = {}  # key -> [number, expires_at (monotonic)]

    def take(self, windows):
        with self._lock:
            now = time.monotonic()
            for old in [k for k, (_, expires) in self._counts.items() if expires <= now]:
                del self._counts[old]
            wait = 0
            for window in windows:
                number, expires = self._counts.get(window.key, (0, now + window.seconds))
                if number + 1 > window.limit:
                    wait = max(wait, int(expires - now + 0.999), 1)
            if not wait:
                for window in windows:
                    count = self._counts.setdefault(window.key, [0, now + window.seconds])
                    count[0] += 1
            return wait


def account_of(actor):
    """The account an authenticated caller's limits are counted on."""
    return f"{actor.kind}:{(actor.resident or actor.staff).id}"


def openid_account(openid):
    return f"openid:{openid}"


def username_account(username):
    # Spelled as the login looks it up and as the lockout counts it.
    return f"username:{username.strip().lower()}"


def limit_actor(action, actor):
    """Count an authenticated caller's request, on their account and their address."""
    limit(action, account=account_of(actor), ip=actor.ip)


def limit(action, *, account=None, ip=None):
    """Count one request of `action` on `account` and/or `ip`; 429 when a window is full."""
    config = current_app.config
    if not config["RATE_LIMITS_ENABLED"]:
        return
    windows = []
    for scope, who in (("account", account), ("ip", ip)):
        if who is None:
            continue
        digest = _digest(scope, who)
        for count, seconds in config[f"RATE_LIMIT_{action.upper()}_PER_{scope.upper()}"]:
            windows.append(Window(f"ratelimit:{action}:{scope}:{digest}:{seconds}", count,
                                  seconds))
    wait = _take(windows) if windows else 0
    if wait:
        raise refused(wait)


def _digest(scope, who):
    return hashlib.sha256(f"{scope}:{who}".encode()).hexdigest()[:24]


def account_patterns(resident_id, openid):
    """Redis key patterns of a resident's own counters (their account and their WeChat
    account), for account erasure: the keys are hashed, so a scan by id would not find them."""
    return [f"ratelimit:*:account:{_digest('account', who)}:*"
            for who in (f"resident:{resident_id}", openid_account(openid)) if who]


def _take(windows):
    broker = queues.broker()
    if broker.available():
        try:
            take = broker.connection.register_script(_TAKE)
            args = [value for w in windows for value in (w.limit, w.seconds)]
            return int(take(keys=[w.key for w in windows], args=args))
        except redis.RedisError as exc:
            broker.trip(exc)
            log.warning("Redis unavailable for rate limits, counting in memory: %s", exc)
    # One per app, so each test's app starts with empty counts.
    memory = current_app.extensions.setdefault("ratelimit_memory", MemoryCounts())
    return memory.take(windows)


def refused(seconds):
    if seconds < 60:
        wait = f"{seconds} 秒"
    elif seconds < 3600:
        wait = f"{(seconds + 59) // 60} 分钟"
    else:
        wait = f"{(seconds + 3599) // 3600} 小时"
    return TooManyRequests(f"操作太频繁，请 {wait}后再试", slug="rate_limited",
                           details={"retry_after": seconds},
                           headers={"Retry-After": str(seconds)})
