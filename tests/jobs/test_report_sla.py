"""The SLA scan and the auto-close, run as the scheduler's jobs by a real worker."""
from datetime import timedelta

import pytest
import responses

from server import queues
from server.models import AuditLog, Notification, Report, ReportEvent
from server.models.base import utcnow
from tests import wechat_http
from tests.jobs.worker import work
from tests.reports_helpers import ReportWorld


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def age(db, report_id, **fields):
    report = db.session.get(Report, report_id)
    for name, value in fields.items():
        setattr(report, name, value)
    db.session.commit()
    return report


def run(job):
    queues.queue("default").enqueue(f"server.jobs.reports.{job}")
    # The messages the job sends are delivered too; WeChat answers as it would.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        wechat_http.add_token(rsps)
        wechat_http.add_subscribe_send(rsps)
        work()


def test_scan_marks_overdue_and_raises_to_the_street_once(world, db):
    report = world.file()
    age(db, report["id"], accept_due_at=utcnow() - timedelta(hours=1))
    run("sla_scan")
    run("sla_scan")
    row = db.session.get(Report, report["id"])
    assert row.overdue_at is not None and row.escalated_at is not None
    events = db.session.execute(db.select(ReportEvent).filter_by(
        report_id=row.id, action="escalate")).scalars().all()
    assert len(events) == 1 and events[0].data == {"stage": "受理"}
    assert db.session.execute(db.select(AuditLog).filter_by(action="report.overdue")).scalar_one()
    notes = db.session.execute(db.select(Notification).filter_by(kind="report_status")
                               ).scalars().all()
    assert [n.fields["status"] for n in notes] == ["街道督办"]
    overdue = world.street.get("/api/v1/reports?overdue=true").json
    assert [r["id"] for r in overdue["items"]] == [report["id"]]


def test_scan_leaves_reports_within_their_deadline(world, db):
    world.file()
    run("sla_scan")
    assert db.session.execute(db.select(Report)).scalar_one().overdue_at is None


def test_unrated_resolution_closes_after_seven_days(world, db):
    report = world.file()
    world.to_status(report["id"], "resolved")
    age(db, report["id"], resolved_at=utcnow() - timedelta(days=7, minutes=1))
    run("auto_close")
    row = db.session.get(Report, report["id"])
    assert row.status == "closed" and row.close_reason == "unrated" and row.fixed is True
    assert row.rating is None


def test_recent_resolution_waits_for_the_rating(world, db):
    report = world.file()
    world.to_status(report["id"], "resolved")
    age(db, report["id"], resolved_at=utcnow() - timedelta(days=6))
    run("auto_close")
    assert db.session.get(Report, report["id"]).status == "resolved"
