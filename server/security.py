"""Transport-level safety for every response: the client's real address behind proxies, and the
headers a browser or WebView needs to not sniff, frame or cache what it should not."""
import redis
from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix

from config import SettingsError

HSTS_SECONDS = 365 * 24 * 3600


def _headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # Photo links carry a signed token in their query string: never hand it on as a referrer.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


def _no_store(response):
    # Tokens and personal data must not be kept by a shared cache or the WebView's disk cache.
    if request.path.startswith("/api/v1/auth/") or request.headers.get("Authorization"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _hsts(response):
    response.headers.setdefault("Strict-Transport-Security",
                                f"max-age={HSTS_SECONDS}; includeSubDomains")
    return response


def check_redis(broker):
    """Production starts only with Redis answering: lockouts, nonces and the WeChat token
    live there, and a silent fallback would weaken all three."""
    try:
        broker.connection.ping()
    except redis.RedisError as exc:
        raise SettingsError(f"REDIS_URL does not answer: {exc.__class__.__name__}: {exc}") from exc


def init_app(app):
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.after_request(_headers)
    app.after_request(_no_store)
    if app.config["HSTS"]:
        app.after_request(_hsts)
