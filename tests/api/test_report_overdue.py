"""Overdue means late and still waiting on the committee: once resolved (waiting on the
resident's rating) a report is no longer shown overdue in the API, the staff's `overdue`
filter, the street's counts or the console inbox; a rework makes it late again only when its
fresh deadline passes."""
import re
from datetime import timedelta

import pytest

from server.extensions import db
from server.models import Report
from server.models.base import utcnow
from server.services.reports import sla
from tests.builders import PASSWORD, make_staff
from tests.clock import shanghai_today
from tests.reports_helpers import ReportWorld

LATE = timedelta(days=60)  # past every deadline a fresh report has


@pytest.fixture
def world(api, org):
    return ReportWorld(api, org)


def overdue_report(world, status="in_progress"):
    """A report the SLA scan marked overdue, then moved on to `status`."""
    report = world.file()
    assert sla.scan(now=utcnow() + LATE) == 1
    if status != "submitted":
        world.to_status(report["id"], status)
    return report["id"]


def shown(world, report_id):
    """What each view says: the staff's and the reporter's detail, the staff's overdue
    filter and the street's overdue count."""
    overview = world.street.get(
        f"/api/v1/reports/overview?since={shanghai_today() - timedelta(days=30)}"
        f"&until={shanghai_today()}").json
    return {"staff": world.committee.get(f"/api/v1/reports/{report_id}").json["overdue"],
            "reporter": world.reporter.get(f"/api/v1/reports/{report_id}").json["overdue"],
            "filter": [r["id"] for r in world.street.get(
                "/api/v1/reports?overdue=true").json["items"]],
            "counted": overview["totals"]["overdue"], "open": overview["totals"]["open"]}


@pytest.mark.parametrize("status", ["submitted", "accepted", "contacted", "in_progress"])
def test_a_late_report_waiting_on_the_committee_is_overdue_in_every_view(world, status):
    report_id = overdue_report(world, status)
    assert shown(world, report_id) == {"staff": True, "reporter": True, "filter": [report_id],
                                       "counted": 1, "open": 1}


def test_a_resolved_report_is_no_longer_shown_overdue(world):
    report_id = overdue_report(world, "resolved")
    # Still open (the resident has not rated it), no longer late.
    assert shown(world, report_id) == {"staff": False, "reporter": False, "filter": [],
                                       "counted": 0, "open": 1}
    # The mark stays as history: the street did supervise it.
    assert db.session.get(Report, report_id).overdue_at is not None


def test_a_closed_report_is_not_overdue(world):
    report_id = overdue_report(world, "resolved")
    world.reporter.post(f"/api/v1/reports/{report_id}/rating", json={"rating": "satisfied"})
    assert shown(world, report_id) == {"staff": False, "reporter": False, "filter": [],
                                       "counted": 0, "open": 0}


def test_a_reworked_report_is_overdue_again_only_once_its_fresh_deadline_passes(world):
    report_id = overdue_report(world, "resolved")
    rated = world.reporter.post(f"/api/v1/reports/{report_id}/rating",
                                json={"rating": "dissatisfied"})
    assert rated.status_code == 200 and rated.json["status"] == "in_progress"
    assert rated.json["overdue"] is False
    assert sla.scan(now=utcnow()) == 0  # the fresh resolution deadline has not passed
    assert shown(world, report_id)["staff"] is False

    assert sla.scan(now=utcnow() + LATE) == 1
    assert shown(world, report_id) == {"staff": True, "reporter": True, "filter": [report_id],
                                       "counted": 1, "open": 1}


def test_is_overdue_and_its_sql_condition_agree_on_every_status(world):
    ids = {status: overdue_report(world, status)
           for status in ("submitted", "in_progress", "resolved")}
    selected = set(db.session.execute(db.select(Report.id).where(
        sla.overdue_clause())).scalars())
    in_memory = {r.id for r in db.session.execute(db.select(Report)).scalars()
                 if sla.is_overdue(r)}
    assert selected == in_memory == {ids["submitted"], ids["in_progress"]}


def console_login(app, staff):
    client = app.test_client()
    page = client.get("/console/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/console/login", data={"csrf_token": token,
                                                 "username": staff.username,
                                                 "password": PASSWORD})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return client


def test_the_console_inbox_marks_only_reports_still_late(app, world):
    late = overdue_report(world, "in_progress")
    resolved = overdue_report(world, "resolved")
    client = console_login(app, make_staff("committee", "XH-TP-R01", username="inbox-reader"))
    page = client.get("/console/reports?tab=all").get_data(as_text=True)
    rows = dict(re.findall(r'<tr class="urgency-\w+" data-report-id="(\d+)">(.*?)</tr>', page,
                           re.S))
    assert "已督办" in rows[str(late)] and "已督办" not in rows[str(resolved)]
    # The late one comes first although the resolved one was marked overdue as well.
    assert list(rows) == [str(late), str(resolved)]
