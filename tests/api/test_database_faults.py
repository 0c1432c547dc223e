"""A request whose database connection dies, or whose statement runs past
DB_STATEMENT_TIMEOUT_MS, answers a JSON 503 in the error shape, and the next request works."""
import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Resident
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL,
                                reason="statement timeouts and pg_terminate_backend are "
                                       "PostgreSQL's")


def with_route(app, view):
    app.add_url_rule("/api/v1/_fault", "fault", view)
    return app.test_client()


def test_a_statement_past_the_timeout_is_cancelled_as_a_json_503(make_app):
    slow = make_app(DB_STATEMENT_TIMEOUT_MS=200)
    client = with_route(slow, lambda: {"slept": str(db.session.execute(
        sa.text("SELECT pg_sleep(5)")).scalar_one())})
    response = client.get("/api/v1/_fault")
    assert response.status_code == 503
    assert response.json["error"] == "database_unavailable" and response.json["message"]
    assert client.get("/api/v1/health/ready").status_code == 200


def test_jobs_and_commands_are_not_limited_by_the_request_timeout(make_app):
    slow = make_app(DB_STATEMENT_TIMEOUT_MS=100)
    with slow.app_context():
        db.session.execute(sa.text("SELECT pg_sleep(0.3)"))  # would be cancelled at 100 ms
        assert db.session.execute(sa.text("SHOW statement_timeout")).scalar_one() == "0"
        db.session.remove()


def test_a_request_whose_connection_is_terminated_answers_503_and_the_next_works(make_app):
    app = make_app()

    def doomed():
        db.session.execute(sa.text("SELECT 1"))
        db.session.execute(sa.text("SELECT pg_terminate_backend(pg_backend_pid())"))
        return {"unreachable": True}

    client = with_route(app, doomed)
    response = client.get("/api/v1/_fault")
    assert response.status_code == 503 and response.json["error"] == "database_unavailable"
    assert response.headers["Content-Type"].startswith("application/json")
    assert client.get("/api/v1/health/ready").json["database"] is True


def test_a_write_whose_connection_dies_before_commit_leaves_nothing_behind(make_app):
    app = make_app()

    def half_written():
        db.session.add(Resident(openid="half-written"))
        db.session.flush()  # the row is in the transaction, not committed
        db.session.execute(sa.text("SELECT pg_terminate_backend(pg_backend_pid())"))
        db.session.commit()
        return {"unreachable": True}

    client = with_route(app, half_written)
    response = client.get("/api/v1/_fault")
    assert response.status_code == 503 and response.json["error"] == "database_unavailable"
    assert response.json["message"] and "details" in response.json
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Resident.id)).where(
            Resident.openid == "half-written")).scalar_one() == 0
        db.session.remove()
    assert client.get("/api/v1/health/ready").json["database"] is True
