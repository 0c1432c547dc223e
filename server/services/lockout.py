"""Password attempts counted atomically in Redis, per username and per client address.

Each attempt takes its number (INCR) *before* the password is checked, so forty attempts sent
at once are numbered 1..40 and only the first LOGIN_MAX_FAILURES are checked: there is no
read-modify-write for a burst to race through. A username counts whether or not an account
has it, so locking reveals nothing about which accounts exist. A right password clears the
username's count and gives back its address's number.

While Redis is down the counts are kept in this process's memory instead (under a lock, so
still atomic): logins keep working through an outage and guessing stays bounded, by the limit
times the number of processes.
"""
import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

import redis
from flask import current_app

from server import queues
from server.errors import TooManyRequests
from server.models.base import utcnow

log = logging.getLogger(__name__)

# INCR, and (re)start the expiry on the first attempt and on the one that locks, so a lock
# always lasts the full LOGIN_LOCK_MINUTES.
_TAKE_NUMBER = """
local n = redis.call('INCR', KEYS[1])
if n == 1 or n == tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


@dataclass
class Attempt:
    user_key: str
    ip_key: str
    user_number: int
    ip_number: int

    @property
    def last_allowed(self):
        """Whether a failure of this attempt locks the username or the address."""
        config = current_app.config
        return (self.user_number >= config["LOGIN_MAX_FAILURES"]
                or self.ip_number >= config["LOGIN_MAX_FAILURES_PER_IP"])


def user_key(username):
    return f"login:attempts:user:{username.strip().lower()}"


def _ip_key(ip):
    return f"login:attempts:ip:{ip or 'unknown'}"


class _MemoryCounts:
    """INCR with expiry in this process, for while Redis is unreachable."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts = {}  # key -> [number, expires_at (monotonic)]

    def take(self, key, ttl, limit):
        with self._lock:
            now = time.monotonic()
            number, expires = self._counts.get(key, (0, 0))
            if expires <= now:
                number = 0
            number += 1
            if number == 1 or number == limit:
                expires = now + ttl
            self._counts[key] = [number, expires]
            return number

    def ttl(self, key):
        with self._lock:
            _, expires = self._counts.get(key, (0, 0))
            return max(0, int(expires - time.monotonic()))

    def forget(self, key):
        with self._lock:
            self._counts.pop(key, None)


_memory = _MemoryCounts()


def begin(username, ip):
    """Number this attempt; 429 when the username or the address is locked."""
    config = current_app.config
    ttl = config["LOGIN_LOCK_MINUTES"] * 60
    attempt = Attempt(user_key(username), _ip_key(ip), 0, 0)
    limits = ((attempt.user_key, config["LOGIN_MAX_FAILURES"]),
              (attempt.ip_key, config["LOGIN_MAX_FAILURES_PER_IP"]))
    try:
        take = queues.connection().register_script(_TAKE_NUMBER)
        numbers = [take(keys=[key], args=[ttl, limit]) for key, limit in limits]
    except redis.RedisError as exc:
        log.warning("Redis unavailable for the login lockout, counting in memory: %s", exc)
        numbers = [_memory.take(key, ttl, limit) for key, limit in limits]
    attempt.user_number, attempt.ip_number = numbers
    if (attempt.user_number > config["LOGIN_MAX_FAILURES"]
            or attempt.ip_number > config["LOGIN_MAX_FAILURES_PER_IP"]):
        raise locked(attempt)
    return attempt


def succeeded(attempt):
    _memory.forget(attempt.user_key)
    try:
        conn = queues.connection()
        conn.delete(attempt.user_key)
        conn.decr(attempt.ip_key)
    except redis.RedisError:
        pass  # the counts expire on their own; the login itself was proven


def clear(username):
    """Lift a username's lock (a password reset by an administrator)."""
    _memory.forget(user_key(username))
    try:
        queues.connection().delete(user_key(username))
    except redis.RedisError:
        pass  # expires on its own within LOGIN_LOCK_MINUTES


def _ttl(key):
    try:
        return max(queues.connection().ttl(key), _memory.ttl(key))
    except redis.RedisError:
        return _memory.ttl(key)


def locked(attempt):
    seconds = max(_ttl(attempt.user_key), _ttl(attempt.ip_key), 1)
    until = utcnow() + timedelta(seconds=seconds)
    minutes = (seconds + 59) // 60
    return TooManyRequests(f"密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试",
                           slug="account_locked",
                           details={"locked_until": until.isoformat()},
                           headers={"Retry-After": str(seconds)})
