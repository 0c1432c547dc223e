"""Deadlines in working days, extensions and the SLA scan (the 7-day auto-close is in workflow).

Deadlines count working days on the Shanghai calendar from the day a report is filed: first
contact within the category's contact_days, acceptance within accept_days, resolution within
resolve_days (plus approved extensions; a rework starts a fresh resolve_days). Each is stored
as the instant its last day ends in Shanghai.

When a deadline runs into a year with no holiday data, it is still set, counted on weekends
alone, and the report is marked `deadlines_provisional`: staff see the mark, the SLA clock
runs. Loading that year (server/services/holidays.py) queues `recompute_provisional`, which
counts them again, writes each change to the report's timeline and clears the mark.
"""
import logging
from datetime import timedelta

from sqlalchemy import and_, or_

from server.errors import Conflict, Invalid
from server.extensions import db
from server.models import Report, ReportExtension
from server.models.base import utcnow
from server.services import audit, clock, staff_notifications, workdays
from server.services.reports import timeline

log = logging.getLogger(__name__)
OPEN_HANDLING = ("accepted", "contacted", "in_progress")
# Waiting on the committee: the only statuses a report can be late in. A resolved report waits
# on the resident's rating, a closed one on nobody; a rework puts it back in_progress with a
# fresh deadline (restart_resolution), and the scan marks it again if that one passes.
UNRESOLVED = ("submitted",) + OPEN_HANDLING
STAGES = ("contact", "accept", "resolve")


def is_overdue(report):
    """Overdue as every view shows it (API, console, street counts, the `overdue` filter): the
    scan marked it and it is still waiting on the committee. `overdue_at` itself stays as
    history once the report is resolved."""
    return report.overdue_at is not None and report.status in UNRESOLVED


def overdue_clause():
    """is_overdue as an SQL condition."""
    return and_(Report.overdue_at.is_not(None), Report.status.in_(UNRESOLVED))


class _Counter:
    """Counts working days, provisionally where a year has no data, and remembers whether it
    had to."""

    def __init__(self):
        self.provisional = False

    def add(self, day, days):
        end = workdays.add_working_days(day, days, provisional=True)
        if not workdays.covers(day, end):
            self.provisional = True
        return end

    def due_at(self, moment, days):
        return clock.end_of_day(self.add(clock.local_date(moment), days))


def set_deadlines(report, start=None):
    """All three deadlines, from the filing moment (`start`, default created_at) and, for the
    resolution, from the last rework and through the approved extensions."""
    start = start or report.created_at
    counter = _Counter()
    category = report.category
    report.contact_due_at = counter.due_at(start, category.contact_days)
    report.accept_due_at = counter.due_at(start, category.accept_days)
    report.resolve_due_at = _resolution_due(report, counter, start)
    report.deadlines_provisional = counter.provisional
    report.deadline_error = ""


def _resolution_due(report, counter, filed):
    reworks = [e.at for e in report.events if e.action == "rework"] if report.id else []
    began = reworks[-1] if reworks else filed
    last_day = counter.add(clock.local_date(began), report.category.resolve_days)
    for extension in report.extensions if report.id else []:
        if extension.status == "approved" and extension.decided_at >= began:
            last_day = counter.add(last_day, extension.days)
    return clock.end_of_day(last_day)


def restart_resolution(report, now):
    """A rework gets a fresh resolution deadline from the moment it is reopened."""
    counter = _Counter()
    report.resolve_due_at = counter.due_at(now, report.category.resolve_days)
    report.deadlines_provisional = report.deadlines_provisional or counter.provisional
    report.overdue_at = None


def recompute_provisional(year=None):  # `year`: the outbox row's payload, informative only
    """Count every provisional deadline again on the calendar as loaded now. A report whose
    dates change gets a timeline entry saying so; the mark stays only where a year is still
    missing. Idempotent. Returns how many reports lost the mark."""
    cleared = 0
    reports = db.session.execute(db.select(Report).where(
        Report.deadlines_provisional.is_(True)).order_by(Report.id)).scalars().all()
    for report in reports:
        before = _deadlines(report)
        set_deadlines(report)
        after = _deadlines(report)
        if report.overdue_at is not None and not _past_due(report, utcnow()):
            report.overdue_at = None  # the later, real deadline has not passed yet
        if report.deadlines_provisional and before == after:
            continue
        cleared += not report.deadlines_provisional
        note = "节假日安排已载入，期限已重新计算" + (
            "" if not report.deadlines_provisional else "（仍有年份未载入，期限仍为暂定）")
        timeline.record(report, "system", "recompute_deadlines", report.status, report.status,
                        note=note, data={"before": before, "after": after,
                                         "provisional": report.deadlines_provisional})
        audit.record("system", "report.deadlines_recomputed", report,
                     {"deadlines": before}, {"deadlines": after})
    db.session.commit()
    return cleared


def _past_due(report, now):
    """overdue_condition, for one report in memory."""
    due = {"submitted": report.accept_due_at, "accepted": report.contact_due_at}.get(
        report.status, report.resolve_due_at if report.status in OPEN_HANDLING else None)
    return due is not None and due < now


def _deadlines(report):
    return {stage: clock.local_date(getattr(report, f"{stage}_due_at") - timedelta(seconds=1))
            .isoformat() if getattr(report, f"{stage}_due_at") else None for stage in STAGES}


# --- extensions ---------------------------------------------------------------------------

def pending_extension(report):
    return db.session.execute(db.select(ReportExtension).filter_by(
        report_id=report.id, status="pending")).scalar_one_or_none()


def request_extension(actor, report, days, reason):
    if pending_extension(report) is not None:
        raise Conflict("已有待街道审批的延期申请", slug="extension_pending")
    extension = ReportExtension(report_id=report.id, days=days, reason=reason,
                                requested_by_id=actor.staff.id)
    db.session.add(extension)
    return extension


def decide_extension(actor, report, approve, note):
    extension = pending_extension(report)
    if extension is None:
        raise Conflict("没有待审批的延期申请", slug="no_pending_extension")
    extension.status = "approved" if approve else "rejected"
    extension.decided_by_id = actor.staff.id
    extension.decided_at = utcnow()
    if approve:
        if report.resolve_due_at is None:
            raise Conflict(report.deadline_error or "该反映没有办结期限，无法延期",
                           slug="calendar_unavailable")
        last_day = clock.local_date(report.resolve_due_at - timedelta(seconds=1))
        counter = _Counter()
        new_day = counter.add(last_day, extension.days)
        report.deadlines_provisional = report.deadlines_provisional or counter.provisional
        extension.new_due_date = new_day
        report.resolve_due_at = clock.end_of_day(new_day)
        if report.resolve_due_at > utcnow():
            report.overdue_at = None
    return extension


def validate_days(days):
    if not isinstance(days, int) or not 1 <= days <= 60:
        raise Invalid("延期天数应为 1–60 个工作日", slug="invalid",
                      details={"fields": {"days": ["延期天数应为 1–60 个工作日"]}})


# --- the periodic jobs --------------------------------------------------------------------

def overdue_condition(now):
    return or_(
        and_(Report.status == "submitted", Report.accept_due_at < now),
        and_(Report.status == "accepted", Report.contact_due_at < now),
        and_(Report.status.in_(OPEN_HANDLING), Report.resolve_due_at < now))


def scan(now=None):
    """Mark reports past a deadline as overdue and raise them to the street (a timeline entry,
    an audit row, and a message to the reporter and supporters that the street now supervises
    it). Idempotent: a report already marked is left alone. Returns how many were marked."""
    now = now or utcnow()
    _retry_missing_deadlines()
    due = db.session.execute(db.select(Report).where(
        Report.overdue_at.is_(None), overdue_condition(now)).order_by(Report.id)
    ).scalars().all()
    for report in due:
        stage = _stage(report, now)
        report.overdue_at = now
        report.escalated_at = report.escalated_at or now
        timeline.record(report, "system", "escalate", report.status, report.status,
                        note=f"已超过{stage}期限，已提交街道督办", data={"stage": stage})
        audit.record("system", "report.overdue", report, None, {"stage": stage})
        timeline.notify_change(report, "escalate", note="已提交街道督办")
        staff_notifications.report_escalated(report, stage)
    db.session.commit()
    return len(due)


def _stage(report, now):
    if report.status == "submitted":
        return "受理"
    if report.status == "accepted" and report.contact_due_at and report.contact_due_at < now:
        return "先行联系"
    return "办结"


def _retry_missing_deadlines():
    for report in db.session.execute(db.select(Report).where(
            Report.deadline_error != "", Report.closed_at.is_(None))).scalars():
        set_deadlines(report)
