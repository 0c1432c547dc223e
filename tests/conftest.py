"""Fixtures: app, db, client and small builders.

The database is SQLite by default and PostgreSQL when TEST_DATABASE_URL is set (CI). The schema
always comes from the real migrations, never from create_all, so the tests run what production
runs. Each test starts from empty tables.
"""
import atexit
import os
import shutil

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from config import RATE_LIMIT_DEFAULTS
from server import create_app, queues
from server.extensions import db as _db
from server.services import workdays
from tests import builders
from tests.recording import record  # noqa: F401 (fixture)
from tests.scoring_fixtures import calendar  # noqa: F401 (fixture)
from tests.redis_server import current_url, redis_conn, redis_url  # noqa: F401 (fixtures)

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
WECHAT_APP_ID = "wx-test-appid"
CALLBACK_TOKEN = "wx-callback-token"
# Rate limits stay on in tests, high enough that only a test lowering them trips them
# (tests/api/test_rate_limits.py).
TEST_RATE_LIMITS = {f"RATE_LIMIT_{action}_PER_{scope}": [(10_000, 3600)]
                    for action in RATE_LIMIT_DEFAULTS for scope in ("ACCOUNT", "IP")}
TEMPLATES = {"membership_decided": "TPL-MEMBERSHIP", "report_status": "TPL-REPORT",
             "survey_opened": "TPL-SURVEY", "rectification_due": "TPL-RECTIFICATION",
             "eligibility_changed": "TPL-ELIGIBILITY"}


def _normalise(url):
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def base_settings(database_url, **overrides):
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "DEV_LOGIN": True,
        "WECHAT_APP_ID": WECHAT_APP_ID,
        "WECHAT_APP_SECRET": "wx-test-secret",
        "TESTING": True,
        "APP_ENV": "testing",
        "REDIS_URL": current_url(),
        # Retries without waiting, so a burst worker runs them all at once.
        "JOB_RETRY_INTERVALS": [0],
        "JOB_RETRY_MAX": 2,
        "WECHAT_CALLBACK_TOKEN": CALLBACK_TOKEN,
        "WECHAT_TEMPLATES": dict(TEMPLATES),
        **TEST_RATE_LIMITS,
    }
    settings.update(overrides)
    return settings


@pytest.fixture(scope="session")
def database(tmp_path_factory, redis_url):
    """Migrate an empty database once per session; hand out its URL."""
    if TEST_DATABASE_URL:
        url = _private_postgres_database()
        template = None
    else:
        template = tmp_path_factory.mktemp("db") / "template.db"
        url = f"sqlite:///{template}"
    app = create_app(base_settings(url))
    with app.app_context():
        upgrade(revision="heads")
        _db.engine.dispose()
    return url, template


def _private_postgres_database():
    """A database of its own for this test run, next to the one TEST_DATABASE_URL names, so
    two runs on one server (two developers, or CI and a developer) never truncate each other's
    tables. Created empty here, dropped when the run ends."""
    base = sa.engine.make_url(_normalise(TEST_DATABASE_URL))
    name = f"{base.database}_run_{os.getpid()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    atexit.register(drop)
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def app(database, tmp_path, redis_conn):
    url, template = database
    if template is not None:
        # A fresh copy of the migrated SQLite file: faster than migrating, as clean as it.
        test_file = tmp_path / "test.db"
        shutil.copy(template, test_file)
        url = f"sqlite:///{test_file}"
    app = create_app(base_settings(url, UPLOAD_DIR=str(tmp_path / "uploads")))
    workdays.forget()  # each test has a database of its own; holiday revisions restart
    with app.app_context():
        yield app
        _db.session.remove()
        if template is None:
            _truncate_all()
        _db.engine.dispose()
        queues.broker(app).close()


def _truncate_all():
    tables = [t.name for t in _db.metadata.sorted_tables]
    with _db.engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def org(app):
    """Two districts, streets and communities: enough to prove scopes."""
    return builders.make_org()


@pytest.fixture
def api(client):
    return builders.ApiClient(client)


@pytest.fixture
def make_app(app):
    """Build another app on the test database with other settings (Redis down, no WeChat
    credentials...); its connections are closed before the tables are emptied."""
    made = []

    def make(**overrides):
        other = create_app(base_settings(app.config["SQLALCHEMY_DATABASE_URI"], **overrides))
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            _db.session.remove()
            _db.engine.dispose()
        queues.broker(other).close()
