"""How long each kind of record is kept, and the daily job that enforces it
(`server.jobs.retention.enforce`). docs/privacy.md has the table and the reasons; keep the
two in step. Every rule is idempotent: a second run the same day finds nothing to do.

Kept without a limit here, on purpose: surveys, ballots and releases (anonymous; they are the
evaluation's evidence), reports and their timelines (the committee's cases; a deleted
account's reports are already without author), the household register (the committee's), and
the audit log (append-only by design; it names staff and objects, never a resident)."""
import logging
import uuid
from datetime import timedelta

from sqlalchemy import and_, delete, func, or_, select, update

from server.extensions import db
from server.models import (AuthSession, ContentCheck, InspectionItem, Notification,
                           OutboxMessage, Photo, Report, ReportEvent, StaffNotification, Survey,
                           SurveyParticipation)
from server.models.base import utcnow
from server.services.privacy import erasure

log = logging.getLogger(__name__)

DAYS = {
    "sessions": 30,            # after expiry or logout
    "notifications": 365,      # after creation, once delivery is final
    "staff_notifications": 365,
    "outbox_done": 90,         # after the work finished
    "outbox_failed": 365,      # left longer: staff look into failures
    "content_checks": 30,      # after the verdict: author, trace and copied content go
    "survey_participations": 30,  # after the survey closed: the person goes, the household stays
    "report_photos": 3 * 365,  # after the report closed: one evaluation cycle (three years)
    "unattached_uploads": 7,   # uploaded but never attached to anything
}


def enforce():
    """Apply every rule; return {rule: rows affected}. Files go after their rows commit."""
    now = utcnow()
    counts, files = {}, []
    for name, rule in RULES.items():
        cutoff = now - timedelta(days=DAYS[name])
        counts[name], keys = rule(cutoff)
        db.session.commit()
        files += keys
    erasure.delete_files(files)
    log.info("retention enforced: %s", counts)
    return counts


def _sessions(cutoff):
    result = db.session.execute(delete(AuthSession).where(or_(
        AuthSession.expires_at < cutoff, AuthSession.revoked_at < cutoff)))
    return result.rowcount, []


def _notifications(cutoff):
    result = db.session.execute(delete(Notification).where(
        Notification.created_at < cutoff,
        Notification.delivery.notin_(("pending", "sending"))))
    return result.rowcount, []


def _staff_notifications(cutoff):
    result = db.session.execute(delete(StaffNotification).where(
        StaffNotification.created_at < cutoff))
    return result.rowcount, []


def _outbox(state):
    def rule(cutoff):
        result = db.session.execute(delete(OutboxMessage).where(
            OutboxMessage.state == state,
            or_(OutboxMessage.finished_at < cutoff,
                OutboxMessage.finished_at.is_(None) & (OutboxMessage.created_at < cutoff))))
        return result.rowcount, []
    return rule


def _content_checks(cutoff):
    """A settled check keeps its verdict (what it judged is shown or hidden by it); the
    author, WeChat's trace and the copy of the text or link go. Held ones wait for staff."""
    decided_at = func.coalesce(ContentCheck.reviewed_at, ContentCheck.checked_at,
                               ContentCheck.created_at)
    result = db.session.execute(update(ContentCheck).where(
        ContentCheck.status.in_(("passed", "skipped", "rejected")), decided_at < cutoff,
        or_(ContentCheck.author_id.is_not(None), ContentCheck.content != "",
            ContentCheck.trace_id.is_not(None)))
        .values(author_id=None, trace_id=None, content=""))
    return result.rowcount, []


def _participations(cutoff):
    """A closed survey takes no answer: who answered is no longer needed, only that the
    household did. A per-resident key ("r<id>") names the resident: it becomes random."""
    closed = select(Survey.id).where(or_(Survey.closes_at < cutoff, Survey.closed_at < cutoff))
    rows = db.session.execute(select(SurveyParticipation).where(
        SurveyParticipation.survey_id.in_(closed),
        or_(SurveyParticipation.resident_id.is_not(None),
            SurveyParticipation.idempotency_hash.is_not(None),
            SurveyParticipation.respondent_key.like("r%")))).scalars().all()
    for row in rows:
        row.resident_id = row.idempotency_hash = None
        if row.respondent_key.startswith("r"):
            row.respondent_key = f"x{uuid.uuid4().hex}"
    return len(rows), []


def _report_photos(cutoff):
    old = select(Report.id).where(Report.closed_at < cutoff)
    events = select(ReportEvent.id).where(ReportEvent.report_id.in_(old))
    keys = erasure.drop_photos(or_(Photo.report_id.in_(old), Photo.event_id.in_(events)))
    return len(keys) // 2, keys


def _unattached(cutoff):
    inspected = select(InspectionItem.photo_id).where(InspectionItem.photo_id.is_not(None))
    keys = erasure.drop_photos(and_(
        Photo.created_at < cutoff, Photo.report_id.is_(None), Photo.event_id.is_(None),
        Photo.rectification_id.is_(None), Photo.rectification_event_id.is_(None),
        Photo.id.notin_(inspected)))
    return len(keys) // 2, keys


RULES = {
    "sessions": _sessions,
    "notifications": _notifications,
    "staff_notifications": _staff_notifications,
    "outbox_done": _outbox("done"),
    "outbox_failed": _outbox("failed"),
    "content_checks": _content_checks,
    "survey_participations": _participations,
    "report_photos": _report_photos,
    "unattached_uploads": _unattached,
}
