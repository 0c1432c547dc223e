"""The app's PostgreSQL role owns nothing: the audit log is out of its reach (no TRUNCATE, no
DELETE or UPDATE, no DISABLE TRIGGER), while the app's normal work succeeds under it."""
import os

import pytest
import sqlalchemy as sa

from server import create_app, queues
from server.extensions import db as _db
from tests import builders
from tests.conftest import TEST_DATABASE_URL, base_settings

postgres_only = pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL roles")

ROLE = f"civic_app_test_{os.getpid()}"
PASSWORD = "Rk3vW8pZq2LmX7nB4cT9"


@pytest.fixture
def app_role_url(app, monkeypatch):
    """Run `flask db-roles` as the owner; hand out a URL that connects as the app role."""
    monkeypatch.setenv("CIVIC_APP_DB_PASSWORD", PASSWORD)
    result = app.test_cli_runner().invoke(args=["db-roles", ROLE,
                                                "--password-env", "CIVIC_APP_DB_PASSWORD"])
    assert result.exit_code == 0, result.output
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(username=ROLE,
                                                                        password=PASSWORD)
    yield url.render_as_string(hide_password=False)
    with _db.engine.begin() as conn:
        conn.execute(sa.text(f'DROP OWNED BY "{ROLE}"'))
        conn.execute(sa.text(f'DROP ROLE IF EXISTS "{ROLE}"'))


@postgres_only
@pytest.mark.parametrize("statement", [
    "TRUNCATE audit_log",
    "ALTER TABLE audit_log DISABLE TRIGGER ALL",
    "DELETE FROM audit_log",
    "UPDATE audit_log SET action = 'x'",
    "DELETE FROM report_events",
    "UPDATE report_events SET note = 'x'",
    "DROP TABLE audit_log",
    "UPDATE alembic_version SET version_num = 'x'",
    "CREATE TABLE mine (id int)",
])
def test_the_app_role_cannot_touch_history_or_the_schema(app_role_url, statement):
    engine = sa.create_engine(app_role_url)
    try:
        with engine.connect() as conn:
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied|must be owner"):
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


@postgres_only
def test_the_app_does_its_work_as_the_app_role(app_role_url, database):
    """Log in, apply, approve (an audit entry), log out: all as the role that owns nothing."""
    role_app = create_app(base_settings(app_role_url))
    try:
        with role_app.app_context():
            org = builders.make_org()
            staff = builders.make_staff("committee", "XH-TP-R01")
            api = builders.ApiClient(role_app.test_client())
            resident = api.as_resident("r-role")
            applied = resident.post("/api/v1/memberships", json={
                "community_id": org.community.id, "building": "1号楼", "unit": "1",
                "room": "101"})
            assert applied.status_code == 201
            committee = api.as_staff(staff)
            approved = committee.post(f"/api/v1/memberships/{applied.json['id']}/approve")
            assert approved.status_code == 200
            assert committee.post("/api/v1/auth/logout").status_code == 204
            # Account deletion clears the resident from append-only rows it may touch.
            assert resident.delete("/api/v1/me", json={"confirm": "注销"}).status_code == 204
            with _db.engine.connect() as conn:
                actions = conn.execute(sa.text("SELECT action FROM audit_log")).scalars().all()
            assert "membership.approve" in actions
            _db.session.remove()
            _db.engine.dispose()
    finally:
        queues.broker(role_app).close()


@postgres_only
def test_db_roles_refuses_a_bad_role_name(app):
    result = app.test_cli_runner().invoke(args=["db-roles", "Robert'); DROP TABLE staff;--"])
    assert result.exit_code != 0 and "角色名" in result.output


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite only")
def test_db_roles_says_sqlite_has_no_roles(app):
    result = app.test_cli_runner().invoke(args=["db-roles", "civic_app"])
    assert result.exit_code != 0 and "PostgreSQL" in result.output
