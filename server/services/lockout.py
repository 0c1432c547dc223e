"""Password attempts counted atomically in Redis, per username and per client address.

Each attempt takes its number (INCR) *before* the password is checked, so forty attempts sent
at once are numbered 1..40 and only the first LOGIN_MAX_FAILURES are checked: there is no
read-modify-write for a burst to race through. A username counts whether or not an account
has it, so locking reveals nothing about which accounts exist. A right password clears the
username's count and gives back its address's number.
"""
from dataclasses import dataclass
from datetime import timedelta

import redis
from flask import current_app

from server import queues
from server.errors import ServiceUnavailable, TooManyRequests
from server.models.base import utcnow

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


def begin(username, ip):
    """Number this attempt; 429 when the username or the address is locked."""
    config = current_app.config
    ttl = config["LOGIN_LOCK_MINUTES"] * 60
    attempt = Attempt(user_key(username), _ip_key(ip), 0, 0)
    try:
        conn = queues.connection()
        take = conn.register_script(_TAKE_NUMBER)
        attempt.user_number = take(keys=[attempt.user_key],
                                   args=[ttl, config["LOGIN_MAX_FAILURES"]])
        attempt.ip_number = take(keys=[attempt.ip_key],
                                 args=[ttl, config["LOGIN_MAX_FAILURES_PER_IP"]])
    except redis.RedisError as exc:
        # Without the counter there is no lockout: refuse rather than allow unlimited guesses.
        raise ServiceUnavailable("登录服务暂时不可用，请稍后再试",
                                 slug="login_unavailable") from exc
    if (attempt.user_number > config["LOGIN_MAX_FAILURES"]
            or attempt.ip_number > config["LOGIN_MAX_FAILURES_PER_IP"]):
        raise locked(attempt)
    return attempt


def succeeded(attempt):
    try:
        conn = queues.connection()
        conn.delete(attempt.user_key)
        conn.decr(attempt.ip_key)
    except redis.RedisError:
        pass  # the counts expire on their own; the login itself was proven


def clear(username):
    """Lift a username's lock (a password reset by an administrator)."""
    try:
        queues.connection().delete(user_key(username))
    except redis.RedisError:
        pass  # expires on its own within LOGIN_LOCK_MINUTES


def locked(attempt):
    conn = queues.connection()
    seconds = max(conn.ttl(attempt.user_key), conn.ttl(attempt.ip_key), 1)
    until = utcnow() + timedelta(seconds=seconds)
    minutes = (seconds + 59) // 60
    return TooManyRequests(f"密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试",
                           slug="account_locked",
                           details={"locked_until": until.isoformat()},
                           headers={"Retry-After": str(seconds)})
