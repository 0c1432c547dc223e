"""Deleting a resident's account (PIPL art. 47), in one transaction.

What goes: the resident row and everything that names them - openid, unionid, nickname,
phone, memberships, sessions, notifications (and their outbox rows), "me too" supports,
volunteer applications, their photos (rows and files) and the content checks that carried
their openid to WeChat. What stays, without them:

- their reports (the committee's case, counted in supervision): author NULL,
  `reporter_erased` set, the retry hash (derived from their id) dropped; the reports'
  timeline entries keep the event, not the actor;
- survey participations: the household that answered (the response rate and "this household
  already answered" depend on it), not the person; a per-resident respondent key, which
  carries the resident's id, becomes a random one;
- ballots, never linked to anyone (docs/surveys.md), stay as they are: still counted;
- a volunteer's field inspections: kept (the street's sample), unsigned;
- the committee's household register, and the audit log, which names the objects staff
  acted on (a membership, a report): once those rows are gone or anonymous, it names no one.

Files are deleted after the commit (a failed commit must not lose a kept report's photos);
Redis keys that name the resident (`...:resident:<id>...`) are deleted too.
"""
import logging
import uuid

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError

from server import queues
from server.errors import Conflict, Invalid
from server.extensions import db
from server.models import (AuthSession, ContentCheck, InspectionItem, Membership, Notification,
                           OutboxMessage, Photo, Report, ReportEvent, ReportSupport, Resident,
                           ResidentPhone, SurveyParticipation, VolunteerSupervisor)
from server.models.base import utcnow
from server.models.content_check import ANONYMOUS_SUBJECTS
from server.models.inspection import FieldInspection
from server.services import content_checks, ratelimit
from server.storage import storage

log = logging.getLogger(__name__)

CONFIRM = "注销"
CONTENT_JOBS = ("content.check_text", "content.check_image")


def erase(actor, confirm):
    """Delete the calling resident's account. `confirm` must be CONFIRM (the word the
    mini-program asks them to agree to), so no stray request deletes an account."""
    if confirm != CONFIRM:
        raise Invalid(f"请确认注销：confirm 须为“{CONFIRM}”", slug="confirmation_required",
                      details={"fields": {"confirm": [f"须为“{CONFIRM}”"]}})
    resident_id, openid = actor.resident.id, actor.resident.openid
    try:
        # Locked first: a request of theirs still running waits, then finds no account.
        db.session.execute(db.select(Resident.id).where(Resident.id == resident_id)
                           .with_for_update())
        files = _erase_rows(resident_id)
        db.session.commit()
    except IntegrityError:
        # A row naming them was written between our deletes (their other phone, mid-request).
        db.session.rollback()
        raise Conflict("注销时有其他操作正在进行，请稍后重试", slug="erasure_conflict") from None
    delete_files(files)
    forget_redis(resident_id, openid)
    log.info("a resident account was deleted at the resident's request")


def _erase_rows(rid):
    files = _erase_photos(rid)
    _erase_checks(rid)
    _erase_notifications(rid)
    _erase_participations(rid)
    _erase_volunteering(rid)
    db.session.execute(update(Report).where(Report.reporter_id == rid).values(
        reporter_id=None, reporter_erased=True, idempotency_hash=None))
    # Append-only for staff and jobs; the actor's identity is the one thing erasure may
    # remove (`flask db-roles` grants UPDATE on this column alone). A bulk UPDATE does not
    # go through the ORM's append-only guard, which is about rewriting history.
    db.session.execute(update(ReportEvent).where(ReportEvent.actor_resident_id == rid)
                       .values(actor_resident_id=None)
                       .execution_options(synchronize_session=False))
    for model, column in ((ReportSupport, ReportSupport.resident_id),
                          (ResidentPhone, ResidentPhone.resident_id),
                          (Membership, Membership.resident_id),
                          (AuthSession, AuthSession.resident_id)):
        db.session.execute(delete(model).where(column == rid)
                           .execution_options(synchronize_session=False))
    db.session.execute(delete(Resident).where(Resident.id == rid)
                       .execution_options(synchronize_session=False))
    db.session.expunge_all()
    return files


def _erase_photos(rid):
    return drop_photos(Photo.uploader_resident_id == rid)


def drop_photos(condition):
    """Delete the photo rows matching `condition` and their image checks (which hold a link
    to the file and the uploader); return the storage keys, for deleting the files after the
    commit. The caller commits."""
    photos = db.session.execute(db.select(Photo.id, Photo.storage_key, Photo.thumb_key,
                                          Photo.content_check_id).where(condition)).all()
    ids = [p.id for p in photos]
    if not ids:
        return []
    db.session.execute(update(InspectionItem).where(InspectionItem.photo_id.in_(ids))
                       .values(photo_id=None))
    db.session.execute(delete(Photo).where(Photo.id.in_(ids))
                       .execution_options(synchronize_session=False))
    _delete_checks([p.content_check_id for p in photos if p.content_check_id is not None])
    return [key for p in photos for key in (p.storage_key, p.thumb_key)]


def _delete_checks(check_ids):
    if not check_ids:
        return
    _delete_check_work(check_ids)
    db.session.execute(delete(ContentCheck).where(ContentCheck.id.in_(check_ids))
                       .execution_options(synchronize_session=False))


def _delete_check_work(check_ids):
    """Outbox rows about these checks: the first carries a dedupe key, resubmissions none."""
    wanted = set(check_ids)
    keyed = [f"content-check-{i}" for i in check_ids]
    rows = db.session.execute(db.select(OutboxMessage.id, OutboxMessage.payload).where(
        OutboxMessage.kind.in_(CONTENT_JOBS),
        or_(OutboxMessage.dedupe_key.in_(keyed), OutboxMessage.dedupe_key.is_(None)))).all()
    ids = [row.id for row in rows if (row.payload or {}).get("check_id") in wanted]
    if ids:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))


def _erase_checks(rid):
    """Checks of what they wrote that stays (a report's text, a survey comment): the author
    goes. One still waiting for WeChat cannot be sent without the author's openid: it is held
    for staff to review, as when WeChat refuses to check."""
    checks = db.session.execute(db.select(ContentCheck).where(
        ContentCheck.author_id == rid)).scalars().all()
    for check in checks:
        if check.status == "pending":
            check.status, check.checked_at = "risky", utcnow()
            check.last_error = "作者已注销，未经微信检测，请人工审核"
            if check.subject_type in ANONYMOUS_SUBJECTS:
                content_checks.settle_anonymous(check)
        # A job already queued for it finds it settled and does nothing.
        check.author = None
        check.trace_id = None
    db.session.flush()


def _erase_notifications(rid):
    ids = list(db.session.execute(db.select(Notification.id).where(
        Notification.resident_id == rid)).scalars())
    if not ids:
        return
    db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.kind == "notification.deliver",
        OutboxMessage.dedupe_key.in_([f"notification-{i}" for i in ids])))
    db.session.execute(delete(Notification).where(Notification.id.in_(ids))
                       .execution_options(synchronize_session=False))


def _erase_participations(rid):
    rows = db.session.execute(db.select(SurveyParticipation).where(
        SurveyParticipation.resident_id == rid)).scalars().all()
    for row in rows:
        row.resident_id = None
        row.idempotency_hash = None
        if row.respondent_key == f"r{rid}":
            row.respondent_key = f"x{uuid.uuid4().hex}"
    db.session.flush()


def _erase_volunteering(rid):
    rows = db.session.execute(db.select(VolunteerSupervisor).where(
        VolunteerSupervisor.resident_id == rid)).scalars().all()
    for row in rows:
        inspected = db.session.execute(db.select(FieldInspection.id).where(
            FieldInspection.volunteer_id == row.id).limit(1)).first()
        if inspected is None:
            db.session.delete(row)
            continue
        row.resident_id = None
        if row.status in ("pending", "approved"):
            row.status = "withdrawn"
    db.session.flush()


def delete_files(keys):
    backend = storage()
    for key in keys:
        try:
            backend.delete(key)
        except Exception:  # noqa: BLE001 - the account is gone; a stray file is swept later
            log.exception("could not delete a stored photo file of a deleted account")


def forget_redis(resident_id, openid=None):
    """Delete Redis keys that name the resident. The convention for any per-resident key
    (caches): `<prefix>:resident:<id>` or `<prefix>:resident:<id>:<more>`, with a TTL, so that
    this finds it; rate-limit counters hash who they count, so ratelimit names its own."""
    try:
        conn = queues.connection()
        for pattern in (f"*:resident:{resident_id}", f"*:resident:{resident_id}:*",
                        *ratelimit.account_patterns(resident_id, openid)):
            for key in conn.scan_iter(match=pattern, count=500):
                conn.delete(key)
    except Exception:  # noqa: BLE001 - such keys expire on their own
        log.warning("Redis unavailable while deleting a deleted account's keys")
