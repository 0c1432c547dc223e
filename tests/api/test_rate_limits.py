"""Rate limits on reports, uploads, "me too" and logins, per account and per address: 429 in
the error shape with a Chinese message and Retry-After, nothing written by a refused request,
replays of a report already filed never refused, and requests served while Redis is away."""
import io
import threading
import time
from pathlib import Path

import pytest
import responses

from server import queues
from server.errors import APIError
from server.models import (AuthSession, ContentCheck, OutboxMessage, Photo, Report, ReportEvent,
                           ReportSupport, Resident)
from server.services import ratelimit
from tests import wechat_http
from tests.builders import PASSWORD, make_member, make_staff
from tests.faults.procs import free_port
from tests.reports_helpers import ReportWorld, image_bytes, upload

HERE, THERE = {"REMOTE_ADDR": "10.1.1.1"}, {"REMOTE_ADDR": "10.2.2.2"}
BIG = [(10_000, 3600)]


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


@pytest.fixture
def limits(app):
    """Set an action's limits for this test: limits("report", account=[(2, 3600)])."""

    def set_limits(action, account=BIG, ip=BIG):
        app.config[f"RATE_LIMIT_{action.upper()}_PER_ACCOUNT"] = account
        app.config[f"RATE_LIMIT_{action.upper()}_PER_IP"] = ip

    return set_limits


def count(db, model):
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def report_rows(db):
    return tuple(count(db, m) for m in (Report, ReportEvent, ContentCheck, OutboxMessage, Photo))


def file(world, client, environ=HERE, key=None, **extra):
    body = {"category_id": world.categories["clutter"].id, "description": "2号楼楼道堆放旧家具",
            "building": "2号楼", **extra}
    headers = {"Idempotency-Key": key} if key else None
    return client.post("/api/v1/reports", json=body, headers=headers, environ_base=environ)


def assert_rate_limited(response, longest=None):
    assert response.status_code == 429
    assert set(response.json) == {"error", "message", "details"}
    assert response.json["error"] == "rate_limited"
    assert response.json["message"].startswith("操作太频繁")
    wait = response.json["details"]["retry_after"]
    assert response.headers["Retry-After"] == str(wait)
    assert 1 <= wait <= (longest or 3600)
    return wait


def test_a_resident_over_the_report_limit_gets_429_and_nothing_is_written(world, db, limits):
    limits("report", account=[(2, 3600)])
    assert file(world, world.reporter).status_code == 201
    # The limit is the resident's, from whatever address they send.
    assert file(world, world.reporter, THERE).status_code == 201
    before = report_rows(db)
    refused = file(world, world.reporter, THERE)
    wait = assert_rate_limited(refused)
    assert wait > 3500
    assert "分钟" in refused.json["message"] or "小时" in refused.json["message"]
    assert report_rows(db) == before
    # Another resident at the same address is not held up by the reporter's limit.
    assert file(world, world.neighbour).status_code == 201


def test_an_address_over_the_report_limit_refuses_every_resident_there(world, db, limits):
    limits("report", ip=[(2, 3600)])
    assert file(world, world.reporter).status_code == 201
    assert file(world, world.neighbour).status_code == 201
    before = report_rows(db)
    assert_rate_limited(file(world, world.reporter))
    assert_rate_limited(file(world, world.neighbour))
    assert report_rows(db) == before
    # The same residents from another address file again.
    assert file(world, world.reporter, THERE).status_code == 201


def test_the_daily_report_limit_holds_when_the_hourly_one_allows(world, db, limits):
    limits("report", account=[(5, 3600), (2, 86400)])
    assert [file(world, world.reporter).status_code for _ in range(2)] == [201, 201]
    # Retry-After is the time left in the window that refused: the day.
    assert assert_rate_limited(file(world, world.reporter), longest=86400) > 3600
    assert count(db, Report) == 2


def test_refused_requests_give_their_numbers_back(world, limits):
    """A resident refused by a crowded address keeps their own allowance."""
    limits("report", account=[(2, 3600)], ip=[(3, 3600)])
    assert [file(world, world.neighbour).status_code for _ in range(2)] == [201, 201]
    assert file(world, world.reporter).status_code == 201
    for _ in range(3):
        assert_rate_limited(file(world, world.reporter))
    # Elsewhere the reporter still has the one report left of their own two: the three
    # refusals cost nothing.
    assert [file(world, world.reporter, THERE).status_code for _ in range(2)] == [201, 429]


def test_a_burst_at_once_gets_exactly_the_limit_through(app, limits):
    limits("upload", account=[(5, 3600)], ip=[(8, 3600)])
    barrier = threading.Barrier(30)
    allowed, refused = [], []

    def request(n):
        with app.app_context():
            barrier.wait()
            try:
                ratelimit.limit("upload", account="resident:1", ip=f"10.0.0.{n % 2}")
                allowed.append(n)
            except APIError as exc:
                refused.append(exc.status)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 5 and refused == [429] * 25


def test_a_replay_of_a_filed_report_is_answered_even_at_the_limit(world, db, limits):
    limits("report", account=[(2, 3600)])
    first = file(world, world.reporter, key="tap-1")
    assert first.status_code == 201
    for _ in range(3):
        # The phone never heard the answer and sends the same report again: not counted.
        again = file(world, world.reporter, key="tap-1")
        assert again.status_code == 201 and again.json == first.json
    assert file(world, world.reporter, key="tap-2").status_code == 201
    before = report_rows(db)
    assert_rate_limited(file(world, world.reporter, key="tap-3"))
    # At the limit, both filed reports are still answered as filed.
    assert file(world, world.reporter, key="tap-1").json == first.json
    assert file(world, world.reporter, key="tap-2").status_code == 201
    assert report_rows(db) == before


def test_a_reused_key_is_409_before_the_limit_counts(world, limits):
    limits("report", account=[(1, 3600)])
    assert file(world, world.reporter, key="tap-1").status_code == 201
    reused = file(world, world.reporter, key="tap-1", description="另一件事")
    assert reused.status_code == 409 and reused.json["error"] == "idempotency_key_reused"


def test_the_window_reopens_when_its_period_ends(world, db, limits):
    limits("report", account=[(1, 2)])
    assert file(world, world.reporter).status_code == 201
    wait = assert_rate_limited(file(world, world.reporter), longest=2)
    time.sleep(wait + 1)
    assert file(world, world.reporter).status_code == 201
    assert count(db, Report) == 2


def send_upload(client, environ=HERE):
    return client.post("/api/v1/uploads", environ_base=environ, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(image_bytes()), "photo.jpg", "image/jpeg")})


def stored_files(app):
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_uploads_are_limited_per_account_and_write_no_file(app, world, db, limits):
    limits("upload", account=[(2, 3600)])
    assert [send_upload(world.reporter).status_code for _ in range(2)] == [201, 201]
    photos, files = count(db, Photo), stored_files(app)
    assert_rate_limited(send_upload(world.reporter, THERE))
    assert count(db, Photo) == photos and stored_files(app) == files
    assert send_upload(world.neighbour).status_code == 201


def test_uploads_are_limited_per_address(world, db, limits):
    limits("upload", ip=[(2, 3600)])
    assert send_upload(world.reporter).status_code == 201
    assert send_upload(world.neighbour).status_code == 201
    assert_rate_limited(send_upload(world.neighbour))
    assert count(db, Photo) == 2
    assert send_upload(world.neighbour, THERE).status_code == 201


def test_staff_uploads_are_counted_on_their_own_account(world, limits):
    limits("upload", account=[(1, 3600)])
    assert upload(world.committee).status_code == 201
    assert_rate_limited(upload(world.committee))
    assert upload(world.reporter).status_code == 201


def support(client, report_id, environ=HERE):
    return client.post(f"/api/v1/reports/{report_id}/support", environ_base=environ)


def test_me_too_is_limited_per_resident_and_writes_nothing_when_refused(world, db, limits):
    ids = [world.file()["id"] for _ in range(3)]
    limits("support", account=[(2, 3600)])
    assert [support(world.neighbour, i).status_code for i in ids[:2]] == [200, 200]
    assert_rate_limited(support(world.neighbour, ids[2], THERE))
    assert count(db, ReportSupport) == 2
    assert db.session.get(Report, ids[2]).support_count == 0


def test_me_too_is_limited_per_address(world, db, org, limits):
    make_member(org.community, openid="third", room="103")
    third = world.api.as_resident("third")
    report_id = world.file()["id"]
    limits("support", ip=[(1, 3600)])
    assert support(world.neighbour, report_id).status_code == 200
    assert_rate_limited(support(third, report_id))
    assert support(third, report_id, THERE).status_code == 200
    assert count(db, ReportSupport) == 2


def dev_login(client, openid, environ=HERE):
    return client.post("/api/v1/auth/dev-login", json={"openid": openid}, environ_base=environ)


def test_logins_are_limited_per_account_and_write_nothing(client, db, limits):
    limits("login", account=[(2, 60)])
    assert [dev_login(client, "o-1").status_code for _ in range(2)] == [200, 200]
    sessions = count(db, AuthSession)
    assert_rate_limited(dev_login(client, "o-1", THERE), longest=60)
    assert count(db, AuthSession) == sessions
    assert dev_login(client, "o-2").status_code == 200


def test_logins_are_limited_per_address(client, db, limits):
    limits("login", ip=[(2, 30)])
    assert dev_login(client, "o-1").status_code == 200
    assert dev_login(client, "o-2").status_code == 200
    refused = dev_login(client, "o-3")
    assert_rate_limited(refused, longest=60)
    assert "秒" in refused.json["message"]
    assert count(db, Resident) == 2
    assert dev_login(client, "o-3", THERE).status_code == 200


def test_staff_login_is_limited_per_username_before_the_password_is_checked(client, org,
                                                                             limits):
    staff = make_staff("street", "XH-TP", username="chen")
    limits("login", account=[(1, 60)])
    good = {"username": "chen", "password": PASSWORD}
    assert client.post("/api/v1/auth/staff-login", json=good).status_code == 200
    # Spelled differently, the same username.
    refused = client.post("/api/v1/auth/staff-login", environ_base=THERE,
                          json={"username": " Chen", "password": PASSWORD})
    assert_rate_limited(refused, longest=60)
    assert staff.username == "chen"


def test_wechat_login_refused_by_address_never_asks_wechat(client, db, limits):
    limits("login", ip=[(1, 60)])
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, openid="o-wx")
        assert client.post("/api/v1/auth/wechat-login", json={"code": "c1"}).status_code == 200
        refused = client.post("/api/v1/auth/wechat-login", json={"code": "c2"})
        assert_rate_limited(refused, longest=60)
        asked = [c for c in rsps.calls if "jscode2session" in c.request.url]
        assert len(asked) == 1
    assert count(db, AuthSession) == 1


def test_wechat_login_is_limited_per_wechat_account(client, db, limits):
    limits("login", account=[(1, 60)])
    with responses.RequestsMock() as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_code2session(rsps, openid="o-wx")
        assert client.post("/api/v1/auth/wechat-login", json={"code": "c1"}).status_code == 200
        refused = client.post("/api/v1/auth/wechat-login", json={"code": "c2"},
                              environ_base=THERE)
        assert_rate_limited(refused, longest=60)
    assert count(db, AuthSession) == 1


def test_limits_follow_the_address_the_trusted_proxy_names(make_app, org):
    """Behind PROXY_COUNT=1 the address is the proxy's X-Forwarded-For entry: two residents
    behind one proxy are two addresses."""
    proxied = make_app(PROXY_COUNT=1, RATE_LIMIT_LOGIN_PER_IP=[(1, 60)])
    client = proxied.test_client()

    def login(openid, forwarded):
        return client.post("/api/v1/auth/dev-login", json={"openid": openid},
                           headers={"X-Forwarded-For": forwarded})

    with proxied.app_context():
        assert login("o-1", "203.0.113.5").status_code == 200
        assert login("o-2", "203.0.113.6").status_code == 200
        assert_rate_limited(login("o-3", "203.0.113.5"), longest=60)


def test_limits_can_be_switched_off(world, db, limits, app):
    limits("report", account=[(1, 3600)])
    app.config["RATE_LIMITS_ENABLED"] = False
    assert [file(world, world.reporter).status_code for _ in range(3)] == [201] * 3


def test_with_redis_unreachable_requests_are_served_and_counted_in_memory(make_app, org, db):
    """Redis at a closed port: nothing stalls or fails; each process counts in memory."""
    down = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
                    RATE_LIMIT_LOGIN_PER_ACCOUNT=[(3, 60)])
    client = down.test_client()
    with down.app_context():
        statuses = [dev_login(client, "o-1").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert not queues.broker().available()
        assert count(db, AuthSession) == 3


def test_the_openapi_document_lists_429_on_every_limited_operation(client):
    paths = client.get("/api/openapi.json").json["paths"]
    limited = [("/api/v1/auth/wechat-login", "post"), ("/api/v1/auth/dev-login", "post"),
               ("/api/v1/auth/staff-login", "post"), ("/api/v1/auth/staff-bind", "post"),
               ("/api/v1/auth/staff-wechat-login", "post"), ("/api/v1/uploads", "post"),
               ("/api/v1/reports", "post"), ("/api/v1/reports/{report_id}/support", "post")]
    for path, method in limited:
        assert "429" in paths[path][method]["responses"], path
