"""Fixtures: app, db, client and small builders.

The database is SQLite by default and PostgreSQL when TEST_DATABASE_URL is set (CI). The schema
always comes from the real migrations, never from create_all, so the tests run what production
runs. Each test starts from empty tables.
"""
import os
import shutil

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from server import create_app
from server.extensions import db as _db
from tests import builders

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
WECHAT_APP_ID = "wx-test-appid"


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
    }
    settings.update(overrides)
    return settings


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """Migrate an empty database once per session; hand out its URL."""
    if TEST_DATABASE_URL:
        url = _normalise(TEST_DATABASE_URL)
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        template = None
    else:
        template = tmp_path_factory.mktemp("db") / "template.db"
        url = f"sqlite:///{template}"
    app = create_app(base_settings(url))
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return url, template


@pytest.fixture
def app(database, tmp_path):
    url, template = database
    if template is not None:
        # A fresh copy of the migrated SQLite file: faster than migrating, as clean as it.
        test_file = tmp_path / "test.db"
        shutil.copy(template, test_file)
        url = f"sqlite:///{test_file}"
    app = create_app(base_settings(url, UPLOAD_DIR=str(tmp_path / "uploads")))
    with app.app_context():
        yield app
        _db.session.remove()
        if template is None:
            _truncate_all()
        _db.engine.dispose()


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
