"""Migrations: one head, upgrade from empty and downgrade to base on the suite's database
backend (SQLite by default, PostgreSQL in CI), and models that match the migrations."""
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from server import create_app
from server.app import MIGRATIONS
from server.extensions import db
from tests.conftest import TEST_DATABASE_URL, _normalise, base_settings


def test_alembic_has_exactly_one_head():
    from alembic.config import Config
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}; merge them"


@pytest.fixture
def scratch_database_url(tmp_path):
    """An empty database of the suite's backend, dropped afterwards."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    base = sa.engine.make_url(_normalise(TEST_DATABASE_URL))
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _tables(engine):
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_then_downgrade_to_base(scratch_database_url):
    app = create_app(base_settings(scratch_database_url))
    with app.app_context():
        upgrade()
        assert {"communities", "residents", "staff", "memberships", "audit_log"} <= _tables(
            db.engine)
        downgrade(revision="base")
        assert _tables(db.engine) == set()
        upgrade()  # and back up again: downgrade left nothing behind that blocks it
        assert "memberships" in _tables(db.engine)
        db.engine.dispose()


def test_models_match_the_migrations(app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == [], f"models and migrations differ; add a migration: {diff}"
