"""GET /api/v1/health/ready: public, minimal, 503 only when PostgreSQL is gone; and
GET /api/v1/outbox, the rows behind its figures, for city staff."""
from datetime import timedelta

from rq import Worker

from server import queues
from server.models import OutboxMessage
from server.models.base import utcnow
from tests.builders import make_staff

FIELDS = {"status", "database", "redis", "workers", "oldest_pending_seconds"}
# Nothing listens on port 1: connections are refused at once.
DEAD_POSTGRES = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
DEAD_REDIS = "redis://127.0.0.1:1/0"


def live_worker():
    worker = Worker(["default"], connection=queues.connection(), worker_ttl=queues.WORKER_TTL)
    worker.register_birth()
    worker.heartbeat()
    return worker


def test_ready_with_a_live_worker_and_an_empty_backlog(client, db):
    live_worker()
    response = client.get("/api/v1/health/ready")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "database": True, "redis": True, "workers": 1,
                             "oldest_pending_seconds": 0}


def test_no_worker_or_an_old_backlog_is_degraded_not_unready(client, db):
    response = client.get("/api/v1/health/ready")
    assert response.status_code == 200 and response.json["status"] == "degraded"
    assert response.json["workers"] == 0
    live_worker()
    waited = utcnow() - timedelta(minutes=20)
    db.session.add(OutboxMessage(kind="notification.deliver", payload={"notification_id": 1},
                                 state="pending", created_at=waited, due_at=waited))
    db.session.commit()
    body = client.get("/api/v1/health/ready").json
    assert body["status"] == "degraded" and body["oldest_pending_seconds"] >= 20 * 60


def test_redis_down_is_degraded(make_app, db):
    body = make_app(REDIS_URL=DEAD_REDIS).test_client().get("/api/v1/health/ready")
    assert body.status_code == 200
    assert body.json["redis"] is False and body.json["database"] is True
    assert body.json["status"] == "degraded"


def test_database_down_is_503_in_the_error_shape_with_the_same_figures(make_app):
    down = make_app(SQLALCHEMY_DATABASE_URI=DEAD_POSTGRES)
    response = down.test_client().get("/api/v1/health/ready")
    assert response.status_code == 503 and response.json["error"] == "not_ready"
    details = response.json["details"]
    assert details["status"] == "not_ready" and details["database"] is False
    assert set(details) == FIELDS


def test_anyone_may_ask_and_gets_nothing_more(client, db):
    # No token, or a token that is not even valid: the answer is the same minimal body.
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        response = client.get("/api/v1/health/ready", headers=headers)
        assert response.status_code == 200 and set(response.json) == FIELDS


def test_other_methods_are_refused_in_the_error_shape(client, db):
    response = client.post("/api/v1/health/ready", json={})
    assert response.status_code == 405
    assert response.json["error"] == "method_not_allowed" and response.json["message"]


# --- GET /api/v1/outbox: the rows behind the figures, for city staff -----------------------

def outbox_rows(db, *states):
    now = utcnow()
    for state in states:
        db.session.add(OutboxMessage(kind="notification.deliver", payload={"notification_id": 1},
                                     state=state, created_at=now, due_at=now, attempts=3,
                                     last_error="WeChatUnavailable: down" if state == "failed"
                                     else ""))
    db.session.commit()


def test_city_staff_list_failed_rows(api, db, org):
    outbox_rows(db, "done", "failed", "pending", "failed")
    city = api.as_staff(make_staff("city", "SH"))
    page = city.get("/api/v1/outbox", query_string={"state": "failed"}).json
    assert page["total"] == 2 and [row["state"] for row in page["items"]] == ["failed"] * 2
    assert page["items"][0]["last_error"] == "WeChatUnavailable: down"
    assert page["items"][0]["id"] > page["items"][1]["id"]  # newest first
    assert city.get("/api/v1/outbox").json["total"] == 4


def test_only_city_staff_may_list_rows(api, db, org):
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    assert committee.get("/api/v1/outbox").status_code == 403
    assert api.as_resident("someone").get("/api/v1/outbox").status_code == 403
    assert api.get("/api/v1/outbox").status_code == 401


def test_an_unknown_state_is_refused(api, db, org):
    city = api.as_staff(make_staff("city", "SH"))
    response = city.get("/api/v1/outbox", query_string={"state": "lost"})
    assert response.status_code == 422 and "state" in response.json["details"]["fields"]
