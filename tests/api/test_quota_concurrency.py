"""Two district officers selecting at once on a quota of one select exactly one (第十一条（二）),
on PostgreSQL, where requests really run side by side.

Each selection runs in its own thread, app context and connection. Just before either writes
its selection, it waits until the other has reached the same point or is blocked on a lock.
Without the quota row's lock both would count "nobody selected yet" and both write; with it,
the second waits on the lock, then counts the first's selection and is refused."""
import threading
import time
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from server.extensions import db
from server.models import Participation
from tests.builders import ApiClient, make_staff
from tests.conftest import TEST_DATABASE_URL
from tests.eligibility_support import World

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL")
PATIENCE = 30  # seconds before giving up on the other thread: a hang, not a timing


def _lock_waiters(watcher):
    with watcher.connect() as conn:
        return conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")).scalar_one()


def test_two_concurrent_selections_on_a_quota_of_one_select_exactly_one(app, api, org,
                                                                        calendar):
    w = World(api, org, calendar)
    w.calendar(date(2027, 9, 1))
    cycle = w.cycle(2027, quota=1)
    w.at_stage(org.community, 2027, "applied", date(2027, 3, 1), score=96)
    w.at_stage(org.sibling, 2027, "applied", date(2027, 3, 1), score=96)
    officers = [api.as_staff(make_staff("district", "XH", username=f"xh-officer-{n}"))
                for n in range(2)]
    watcher = sa.create_engine(db.engine.url)
    arrived, lock = set(), threading.Lock()
    start = threading.Barrier(2)
    results = {}

    def hold_the_write(conn, cursor, statement, parameters, context, executemany):
        name = threading.current_thread().name
        if not name.startswith("officer") or not statement.startswith("UPDATE participations"):
            return
        with lock:
            arrived.add(name)
        deadline = time.monotonic() + PATIENCE
        while len(arrived) < 2 and not _lock_waiters(watcher):
            assert time.monotonic() < deadline, "the other selection never arrived"
            time.sleep(0.02)

    def select(n, community):
        with app.app_context():  # its own session, so its own connection
            client = ApiClient(app.test_client(), officers[n].token)
            start.wait()
            results[n] = client.post(f"/api/v1/cycles/{cycle.id}/selection",
                                     json={"community_ids": [community.id]})
            db.session.remove()

    event.listen(db.engine, "before_cursor_execute", hold_the_write)
    try:
        threads = [threading.Thread(target=select, args=(n, c), name=f"officer-{n}")
                   for n, c in enumerate((org.community, org.sibling))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(PATIENCE * 2)
    finally:
        event.remove(db.engine, "before_cursor_execute", hold_the_write)
        watcher.dispose()
    statuses = sorted(r.status_code for r in results.values())
    assert statuses == [200, 422], [r.json for r in results.values()]
    refused = next(r for r in results.values() if r.status_code == 422)
    assert [r["code"] for r in refused.json["details"]["reasons"]] == ["over_quota"]
    db.session.expire_all()
    selected = db.session.execute(db.select(db.func.count(Participation.id)).filter_by(
        stage="district_selected")).scalar_one()
    assert selected == 1
