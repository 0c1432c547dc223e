"""Rate limits while a real Redis misbehaves: hung (SIGSTOP) or gone, a resident's report is
still filed, never a 500, and the limits keep counting in the process's memory."""
from server import queues
from server.extensions import db
from server.models import Report
from tests.builders import make_member
from tests.reports_helpers import load_categories


def count_reports():
    return db.session.execute(db.select(db.func.count()).select_from(Report)).scalar_one()


def setup_resident(app, org):
    """A member of the test's community (made through the test's own app), filing through
    the app pointed at the private Redis."""
    app.config["RATE_LIMIT_REPORT_PER_ACCOUNT"] = [(2, 3600)]
    app.config["WECHAT_TEXT_CHECK"] = app.config["WECHAT_MEDIA_CHECK"] = False
    categories = load_categories()
    make_member(org.community, openid="reporter")
    client = app.test_client()
    token = client.post("/api/v1/auth/dev-login", json={"openid": "reporter"}).json["token"]
    body = {"category_id": categories["clutter"].id, "description": "楼道堆放杂物",
            "building": "2号楼"}

    def file():
        return client.post("/api/v1/reports", json=body,
                           headers={"Authorization": f"Bearer {token}"})

    return file


def test_a_hung_redis_costs_one_timeout_and_limits_count_in_memory(faults, org):
    file = setup_resident(faults.app, org)
    faults.redis.pause()
    try:
        statuses = [file().status_code for _ in range(3)]
        # The first request waited one Redis timeout and tripped the breaker; the rest never
        # asked Redis. The limit held all the same, counted in memory.
        assert not queues.broker(faults.app).available()
    finally:
        faults.redis.resume()
    assert statuses == [201, 201, 429]
    assert count_reports() == 2


def test_with_redis_gone_reports_are_filed(faults, org):
    file = setup_resident(faults.app, org)
    faults.redis.stop()
    assert [file().status_code for _ in range(2)] == [201, 201]
    assert count_reports() == 2
