"""Deadlines in working days, extensions, the SLA scan and the 7-day auto-close.

Deadlines count working days on the Shanghai calendar from the day a report is filed: first
contact within the category's contact_days, acceptance within accept_days, resolution within
resolve_days (plus approved extensions; a rework starts a fresh resolve_days). Each is stored
as the instant its last day ends in Shanghai. When the calendar has no data for the year, the
report gets no deadline and a `deadline_error` staff see; the scan tries again every run, so
updating the calendar package fills them in.
"""
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_

from server.errors import Conflict, Invalid
from server.extensions import db
from server.models import Report, ReportExtension
from server.models.base import utcnow
from server.services import audit, staff_notifications, workdays
from server.services.reports import timeline

log = logging.getLogger(__name__)
OPEN_HANDLING = ("accepted", "contacted", "in_progress")


def set_deadlines(report, start=None):
    start = start or report.created_at
    category = report.category
    try:
        report.contact_due_at = workdays.due_at(start, category.contact_days)
        report.accept_due_at = workdays.due_at(start, category.accept_days)
        report.resolve_due_at = workdays.due_at(start, category.resolve_days)
        report.deadline_error = ""
    except workdays.CalendarUnavailable as exc:
        report.contact_due_at = report.accept_due_at = report.resolve_due_at = None
        report.deadline_error = str(exc)[:200]
        log.error("Report %s has no deadlines: %s", report.id, exc)


def restart_resolution(report, now):
    """A rework gets a fresh resolution deadline from the moment it is reopened."""
    try:
        report.resolve_due_at = workdays.due_at(now, report.category.resolve_days)
    except workdays.CalendarUnavailable as exc:
        report.resolve_due_at = None
        report.deadline_error = str(exc)[:200]
    report.overdue_at = None


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
        last_day = workdays.local_date(report.resolve_due_at - timedelta(seconds=1))
        try:
            new_day = workdays.add_working_days(last_day, extension.days)
        except workdays.CalendarUnavailable as exc:
            raise Conflict(str(exc), slug="calendar_unavailable") from None
        extension.new_due_date = new_day
        report.resolve_due_at = workdays.end_of_day(new_day)
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


def auto_close(now=None):
    """Close resolved reports the reporter has not rated within REPORT_RATING_DAYS days: closed
    as fixed, outcome "unrated". Idempotent. Returns how many."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["REPORT_RATING_DAYS"])
    stale = db.session.execute(db.select(Report).where(
        Report.status == "resolved", Report.resolved_at < cutoff).order_by(Report.id)
    ).scalars().all()
    from server.services.reports import workflow

    for report in stale:
        workflow.close(report, "system", "auto_close", now)
    db.session.commit()
    return len(stale)
