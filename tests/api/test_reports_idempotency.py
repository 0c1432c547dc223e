"""Filing a report with an Idempotency-Key: a phone's retry returns the first report and files
nothing; the key is the reporter's own, kept only as a hash, and the database holds the line
when retries race."""
import pytest

from server.models import ContentCheck, Photo, Report, ReportEvent
from server.services.reports import filing
from tests.conftest import TEST_DATABASE_URL
from tests.reports_helpers import ReportWorld, upload


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def count(db, model):
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def written(db):
    return count(db, Report), count(db, ReportEvent), count(db, ContentCheck)


def body(world, **extra):
    return {"category_id": world.categories["clutter"].id, "description": "2号楼楼道堆放旧家具",
            "building": "2号楼", **extra}


def file(client, payload, key=None):
    headers = {"Idempotency-Key": key} if key is not None else None
    return client.post("/api/v1/reports", headers=headers, json=payload)


def test_a_retry_with_the_same_key_returns_the_first_report_and_writes_nothing(world, db):
    photo_id = upload(world.reporter).json["id"]
    payload = body(world, photo_ids=[photo_id])
    first = file(world.reporter, payload, key="tap-1")
    assert first.status_code == 201
    before = written(db)
    assert before[0] == 1
    again = file(world.reporter, payload, key="tap-1")
    assert again.status_code == 201 and again.json == first.json
    assert written(db) == before
    stored = db.session.execute(db.select(Report)).scalar_one()
    assert stored.idempotency_hash and len(stored.idempotency_hash) == 64
    assert "tap-1" not in stored.idempotency_hash
    assert db.session.get(Photo, photo_id).report_id == stored.id


def test_the_same_key_for_a_different_report_is_409_and_writes_nothing(world, db):
    assert file(world.reporter, body(world), key="tap-1").status_code == 201
    before = written(db)
    response = file(world.reporter, body(world, description="另一件事"), key="tap-1")
    assert response.status_code == 409
    assert response.json["error"] == "idempotency_key_reused"
    assert set(response.json) == {"error", "message", "details"}
    assert written(db) == before


def test_a_new_key_files_a_new_report(world, db):
    first = file(world.reporter, body(world), key="tap-1")
    second = file(world.reporter, body(world), key="tap-2")
    assert second.status_code == 201 and second.json["id"] != first.json["id"]
    assert count(db, Report) == 2


def test_another_reporters_same_key_is_independent(world, db):
    mine = file(world.reporter, body(world), key="tap-1")
    theirs = file(world.neighbour, body(world, description="另一件事"), key="tap-1")
    assert mine.status_code == 201 and theirs.status_code == 201
    assert theirs.json["id"] != mine.json["id"] and theirs.json["mine"] is True
    assert count(db, Report) == 2
    hashes = db.session.execute(db.select(Report.idempotency_hash)).scalars().all()
    assert len(set(hashes)) == 2


@pytest.mark.parametrize("key", ["", "k" * 201])
def test_a_malformed_key_is_rejected_with_the_error_shape(world, db, key):
    response = file(world.reporter, body(world), key=key)
    assert response.status_code == 422
    assert set(response.json) == {"error", "message", "details"}
    assert count(db, Report) == 0


def test_without_a_key_each_filing_is_a_new_report(world, db):
    first = file(world.reporter, body(world))
    second = file(world.reporter, body(world))
    assert first.status_code == 201 and second.status_code == 201
    assert first.json["id"] != second.json["id"]
    assert db.session.execute(db.select(Report.idempotency_hash)).scalars().all() == [None,
                                                                                    None]


def test_a_retry_that_loses_the_race_answers_with_the_first_report(world, db, monkeypatch):
    """Both requests pass the look-up before either commits: the unique constraint refuses the
    second insert and the loser answers with the winner's report."""
    first = file(world.reporter, body(world), key="tap-1")
    before = written(db)
    looked_up = []
    real = filing._filed_with

    def miss_first_time(resident, key_hash):
        looked_up.append(key_hash)
        return None if len(looked_up) == 1 else real(resident, key_hash)

    monkeypatch.setattr(filing, "_filed_with", miss_first_time)
    again = file(world.reporter, body(world), key="tap-1")
    assert len(looked_up) == 2  # the pre-check missed; the IntegrityError path found it
    assert again.status_code == 201 and again.json["id"] == first.json["id"]
    assert written(db) == before


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="concurrency needs PostgreSQL")
def test_simultaneous_retries_file_one_report(app, world, db):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    token = world.reporter.token
    payload = body(world)
    barrier = Barrier(20)

    def one(i):
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/reports", json=payload, headers={
            "Authorization": f"Bearer {token}", "Idempotency-Key": "tap-1"})
        return response.status_code, response.json["id"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, range(20)))
    assert {status for status, _ in results} == {201}
    assert len({report_id for _, report_id in results}) == 1
    assert count(db, Report) == 1 and count(db, ReportEvent) == 1
