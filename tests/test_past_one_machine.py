"""Past one machine: two API servers (gunicorn with config/gunicorn.conf.py) and two RQ workers
on one PostgreSQL and one Redis, as the city runs it behind a load balancer. Residents of one
household answer at the same moment on both servers, phones retry report filings against the
other server, and two staff clicks accept the same report on both: nothing is lost, nothing is
done twice - counted in the database, and each message is handed to delivery exactly once.

No speed is asserted here; bench/ measures speed.
"""
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from rq.registry import FailedJobRegistry

from bench import harness
from server import queues
from server.extensions import db
from server.models import (Notification, Report, ReportEvent, SurveyBallot,
                           SurveyParticipation)
from tests.builders import make_staff
from tests.conftest import base_settings
from tests.reports_helpers import load_categories
from tests.surveys_support import create_survey, member

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="several processes share one database only on PostgreSQL (SQLite is the "
           "single-laptop backend)")

HOUSEHOLDS = 12
WAIT_SECONDS = 90


@pytest.fixture
def cluster(app, tmp_path):
    """Two gunicorn servers and two `flask rq worker` processes on the test's database and
    Redis; their logs are in tmp_path when a test fails."""
    settings = base_settings(app.config["SQLALCHEMY_DATABASE_URI"])
    env = harness.app_env(settings["SQLALCHEMY_DATABASE_URI"], app.config["REDIS_URL"],
                          SECRET_KEY=settings["SECRET_KEY"], WEB_CONCURRENCY=2,
                          GUNICORN_THREADS=4, OUTBOX_RELAY_INTERVAL=2,
                          JOB_RETRY_INTERVALS="1", UPLOAD_DIR=tmp_path / "uploads",
                          LOG_LEVEL="INFO")
    started = []
    try:
        urls = []
        for n in range(2):
            server, url = harness.gunicorn("server:create_app()", env, tmp_path / f"api{n}.log",
                                           ready_path="/api/v1/me")
            started.append(server)
            urls.append(url)
        for n in range(2):
            started.append(harness.rq_worker(env, tmp_path / f"worker{n}.log"))
        yield Cluster(urls, sorted(tmp_path.glob("*.log")))
    finally:
        for process in started:
            process.stop()


class Cluster:
    def __init__(self, urls, logs):
        self.urls, self.logs = urls, logs

    def log_tails(self):
        return "\n".join(f"--- {log.name}\n" + "\n".join(
            log.read_text(errors="replace").splitlines()[-15:]) for log in self.logs)


def _post(url, token, path, body, key=None):
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return requests.post(url + path, json=body, headers=headers, timeout=60)


def _wait_until(condition, what, cluster):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        db.session.expire_all()
        db.session.rollback()
        if condition():
            return
        time.sleep(0.5)
    states = db.session.execute(db.select(Notification.delivery, db.func.count())
                                .group_by(Notification.delivery)).all()
    pytest.fail(f"not within {WAIT_SECONDS}s: {what}; notifications {states}\n"
                f"{cluster.log_tails()}")


def _count(model, *where):
    return db.session.execute(db.select(db.func.count()).select_from(model).where(*where)
                              ).scalar_one()


def test_two_servers_and_two_workers_lose_nothing_and_do_nothing_twice(api, org, cluster):
    first, second = cluster.urls
    committee = api.as_staff(make_staff("committee", "XH-TP-R01"))
    # No minimum answer time: the phones below answer as soon as they have read the survey.
    survey_id = create_survey(committee, [org.community.id], response_unit="household",
                              min_duration_seconds=0)
    category = load_categories()["clutter"].id
    pairs = [(member(api, org.community, f"h{n}-a", room=str(101 + n)).token,
              member(api, org.community, f"h{n}-b", room=str(101 + n)).token)
             for n in range(HOUSEHOLDS)]
    answers = {"answers": {"q1": 5, "q2": 4, "q3": "no"}}

    def read(url, token):  # every phone has the survey open before anyone submits
        return requests.get(f"{url}/api/v1/surveys/{survey_id}", timeout=60, headers={
            "Authorization": f"Bearer {token}"}).json()["answer_token"]

    def answer(url, token, answer_token):
        body = {**answers, "answer_token": answer_token}
        return _post(url, token, f"/api/v1/surveys/{survey_id}/responses", body).status_code

    # Both residents of each household answer at once, one on each server.
    jobs = [(url, token) for a, b in pairs for url, token in ((first, a), (second, b))]
    with ThreadPoolExecutor(8) as pool:
        read_tokens = list(pool.map(lambda job: read(*job), jobs))
        answered = list(pool.map(lambda job: answer(*job), [
            (url, token, answer_token) for (url, token), answer_token in zip(jobs, read_tokens)]))
    assert sorted(answered) == [201] * HOUSEHOLDS + [409] * HOUSEHOLDS

    # Each resident files one report and the phone retries it on the other server.
    report = {"category_id": category, "description": "楼道堆放杂物", "building": "1号楼"}
    filings = [(url, token, f"key-{token[-12:]}") for a, b in pairs for token in (a, b)
               for url in (first, second)]
    with ThreadPoolExecutor(8) as pool:
        filed = list(pool.map(lambda job: _post(job[0], job[1], "/api/v1/reports", report,
                                                job[2]), filings))
    assert all(response.status_code == 201 for response in filed), [
        (r.status_code, r.text[:200]) for r in filed if r.status_code != 201]
    report_ids = sorted({response.json()["id"] for response in filed})
    assert len(report_ids) == 2 * HOUSEHOLDS

    # Two clicks on "accept" for each report, one on each server.
    clicks = [(url, report_id) for report_id in report_ids for url in (first, second)]
    with ThreadPoolExecutor(8) as pool:
        accepted = list(pool.map(lambda job: _post(
            job[0], committee.token, f"/api/v1/reports/{job[1]}/actions",
            {"action": "accept"}).status_code, clicks))
    assert sorted(accepted) == [200] * len(report_ids) + [409] * len(report_ids)

    # Every message promised (the survey's announcement to each resident, each accept's
    # message to its reporter) reaches a final delivery state - "not_configured": the cluster
    # has no WeChat credentials - after exactly one delivery attempt. Asserted on the
    # messages, not on the outbox's own bookkeeping, which may change shape.
    residents = 2 * HOUSEHOLDS
    _wait_until(lambda: _count(Notification) == residents + len(report_ids) and _count(
        Notification, Notification.delivery.in_(("pending", "sending"))) == 0,
        "every notification delivered", cluster)

    assert _count(SurveyParticipation, SurveyParticipation.survey_id == survey_id) == HOUSEHOLDS
    assert _count(SurveyBallot, SurveyBallot.survey_id == survey_id) == HOUSEHOLDS
    assert _count(Report) == len(report_ids)
    assert _count(ReportEvent, ReportEvent.action == "accept") == len(report_ids)
    assert _count(Report, Report.status == "accepted") == len(report_ids)
    notifications = db.session.execute(db.select(Notification)).scalars().all()
    assert {n.delivery for n in notifications} == {"not_configured"}
    assert [n.delivery_attempts for n in notifications] == [1] * len(notifications)
    assert sorted(n.page for n in notifications if n.kind == "report_status") == sorted(
        f"pages/report-detail/index?id={i}" for i in report_ids)
    assert len({n.resident_id for n in notifications if n.kind == "survey_opened"}) == residents
    broker = queues.broker()
    assert [FailedJobRegistry(queue=q).get_job_ids() for q in broker.queues()] == [
        []] * len(broker.queues())
