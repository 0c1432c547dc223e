"""Password lockout counted atomically in Redis, per username (known or not) and per address;
unknown accounts indistinguishable from known ones; who may call comes before what was sent."""
import threading

import pytest
from werkzeug import security

from server.errors import APIError
from server.extensions import db as _db
from server.services import auth as auth_service
from server.services import lockout
from tests.builders import PASSWORD, make_staff

LOGIN = "/api/v1/auth/staff-login"


@pytest.fixture
def checks(monkeypatch):
    """Every password hash the login checks, in order (the real check still runs)."""
    seen = []

    def spy(password_hash, password):
        seen.append(password_hash)
        return security.check_password_hash(password_hash, password)

    monkeypatch.setattr(auth_service, "check_password_hash", spy)
    return seen


def test_forty_concurrent_wrong_passwords_check_at_most_the_limit(app, org, checks):
    make_staff("street", "XH-TP", username="chen")
    barrier = threading.Barrier(40)
    statuses = []

    def attempt():
        with app.app_context():
            barrier.wait()
            try:
                auth_service.staff_login("chen", "wrong-password", "10.0.0.9")
            except APIError as exc:
                statuses.append(exc.status)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checks) <= app.config["LOGIN_MAX_FAILURES"] == 5
    assert len(statuses) == 40 and set(statuses) <= {401, 429}
    assert statuses.count(429) >= 35


def test_an_unknown_username_locks_like_a_known_one(client, org):
    make_staff("street", "XH-TP", username="chen")
    answers = {}
    for username in ("chen", "nobody"):
        bad = {"username": username, "password": "wrong-password"}
        answers[username] = [(r.status_code, r.json["error"]) for r in
                             (client.post(LOGIN, json=bad) for _ in range(6))]
    assert answers["chen"] == answers["nobody"]
    assert [status for status, _ in answers["nobody"]] == [401, 401, 401, 401, 429, 429]


def test_unknown_and_deactivated_accounts_cost_the_same_hash_check(client, db, org, checks):
    staff = make_staff("street", "XH-TP", username="chen")
    real_method = staff.password_hash.split("$")[0]
    bad = client.post(LOGIN, json={"username": "chen", "password": "wrong-password"})
    unknown = client.post(LOGIN, json={"username": "nobody", "password": "wrong-password"})
    staff.active = False
    db.session.commit()
    stopped = client.post(LOGIN, json={"username": "chen", "password": PASSWORD})
    # Same status, same body, and exactly one hash of the same method and cost each.
    assert bad.json == unknown.json == stopped.json
    assert bad.status_code == unknown.status_code == stopped.status_code == 401
    assert len(checks) == 3
    assert [h.split("$")[0] for h in checks] == [real_method] * 3


def test_one_address_is_locked_across_usernames(client, app, org):
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 3
    here = {"REMOTE_ADDR": "10.1.1.1"}
    statuses = [client.post(LOGIN, json={"username": f"guess-{n}", "password": "wrong-pw"},
                            environ_base=here).status_code for n in range(4)]
    assert statuses == [401, 401, 429, 429]
    elsewhere = client.post(LOGIN, json={"username": "guess-9", "password": "wrong-pw"},
                            environ_base={"REMOTE_ADDR": "10.2.2.2"})
    assert elsewhere.status_code == 401


def test_a_right_password_clears_the_count(client, org):
    make_staff("street", "XH-TP", username="chen")
    bad = {"username": "chen", "password": "wrong-password"}
    for _ in range(4):
        assert client.post(LOGIN, json=bad).status_code == 401
    assert client.post(LOGIN, json={"username": "chen", "password": PASSWORD}).status_code == 200
    assert client.post(LOGIN, json=bad).status_code == 401


def test_token_answers_are_not_cached(client, org):
    make_staff("street", "XH-TP", username="chen")
    response = client.post(LOGIN, json={"username": "chen", "password": PASSWORD})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("kwargs", [{"json": {"start_year": "not a year", "extra": 1}},
                                    {"data": "<xml/>", "content_type": "application/xml"}])
def test_authentication_comes_before_body_validation(api, client, kwargs):
    """Without a token: 401, whatever the body; a resident: 403; never 415/422 first."""
    response = client.post("/api/v1/cycles", **kwargs)
    assert response.status_code == 401 and response.json["error"] == "unauthorized"
    resident = api.as_resident("r1")
    response = resident.post("/api/v1/cycles", **kwargs)
    assert response.status_code == 403


def test_while_redis_is_down_logins_work_and_the_lockout_still_holds(make_app, org,
                                                                      monkeypatch):
    # The in-memory counts live as long as the process: this test gets its own.
    monkeypatch.setattr(lockout, "_memory", lockout._MemoryCounts())
    make_staff("street", "XH-TP", username="chen")
    down = make_app(REDIS_URL="redis://127.0.0.1:1/0").test_client()
    good = {"username": "chen", "password": PASSWORD}
    assert down.post(LOGIN, json=good).status_code == 200
    bad = {"username": "chen", "password": "wrong-password"}
    statuses = [down.post(LOGIN, json=bad).status_code for _ in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]
    locked = down.post(LOGIN, json=good)
    assert locked.status_code == 429 and 14 * 60 < int(locked.headers["Retry-After"]) <= 900
