"""Content security for residents' text and images, as later features use it.

A feature that stores a resident's text or photo calls `submit_text(...)` / `submit_image(...)`
in its own transaction and keeps the returned ContentCheck on its row (HasContentCheck). It
shows the content to others only when `visible_to(actor, check)` says so: until a check passes
only the author and staff see it. WeChat's verdict "review" or "risky" holds the content for
staff, who release or reject it here.

Text goes through msgSecCheck v2 in a job; images through mediaCheckAsync v2, whose verdict
WeChat posts to /api/v1/wechat/callback (`apply_media_callback`). A WeChat outage leaves a
check pending: the outbox retries it with backoff and `retry_stale` submits it again, so nothing
is published unchecked. With checks switched off, or no WeChat credentials (development), the
check is recorded as skipped, which staff can see and filter on.

An anonymous subject (a survey comment) keeps its author on the check only while WeChat needs
the openid: the verdict moves to the comment and the check row is deleted, or - when held for
review - kept without author and dated to the survey's start (`settle_anonymous`).
"""
import logging
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_

from server import wechat
from server.errors import Conflict, NotFound
from server.extensions import db
from server.models import Community, ContentCheck, OutboxMessage, Survey, SurveyComment
from server.models.base import utcnow
from server.models.content_check import ANONYMOUS_SUBJECTS
from server.models.outbox import ACTIVE_STATES
from server.services import access, audit, outbox
from server.services.pagination import paginate

log = logging.getLogger(__name__)

VERDICTS = ("pass", "review", "risky")
_JOB = {"text": "content.check_text", "image": "content.check_image"}


def submit_text(author, text, subject_type, subject_id="", community=None, scene=2):
    return _submit("text", author, text, subject_type, subject_id, community, scene)


def submit_image(author, media_url, subject_type, subject_id="", community=None, scene=2):
    """`media_url` must be a URL WeChat can download the image from."""
    return _submit("image", author, media_url, subject_type, subject_id, community, scene)


def _submit(media, author, content, subject_type, subject_id, community, scene):
    check = ContentCheck(media=media, author=author, content=content, scene=scene,
                         subject_type=subject_type, subject_id=str(subject_id),
                         community=community)
    skipped = _skip_reason(media)
    if skipped:
        check.status, check.last_error = "skipped", skipped
    db.session.add(check)
    db.session.flush()
    if not skipped:
        _promise(check)
    return check


def _promise(check, resubmission=False):
    # The first promise carries a dedupe key (a retried request writes one row). A
    # resubmission by the safety net carries none: reusing a key would hand back the old,
    # finished row and promise nothing, leaving the check pending for ever.
    outbox.add(_JOB[check.media], {"check_id": check.id},
               dedupe_key=None if resubmission else f"content-check-{check.id}")


def _skip_reason(media):
    if not wechat.gateway().configured:
        return "未配置微信凭证，未做内容安全检测"
    flag = "WECHAT_TEXT_CHECK" if media == "text" else "WECHAT_MEDIA_CHECK"
    if not current_app.config[flag]:
        return "内容安全检测已关闭"
    return ""


def visible_to(actor, check):
    """Whether `actor` (an auth.Actor, or None for the public) may see the checked content."""
    if check is None or check.is_public:
        return True
    if actor is None:
        return False
    if actor.is_staff:
        return check.community is None or access.staff_sees_community(actor.staff,
                                                                        check.community)
    return check.author_id == actor.resident.id


# --- the jobs' side -----------------------------------------------------------------------

def run_text_check(check_id):
    check = _pending(check_id)
    if check is None or check.media != "text":
        return None
    if (reason := _skip_reason("text")):
        return _settle(check, "skipped", error=reason)
    _attempt(check)
    try:
        verdict = wechat.gateway().check_text(check.author.openid, check.content, check.scene)
    except wechat.WeChatRejected as exc:
        # WeChat will not check it (e.g. an unknown openid): a person has to.
        return _settle(check, "risky", error=f"微信未能检测（{exc.errcode}），请人工审核")
    except wechat.WeChatUnavailable as exc:
        _record_failure(check, exc)
        raise
    return apply_verdict(check, verdict["suggest"], verdict["label"])


def run_image_check(check_id):
    check = _pending(check_id)
    if check is None or check.media != "image":
        return None
    if (reason := _skip_reason("image")):
        return _settle(check, "skipped", error=reason)
    _attempt(check)
    try:
        trace_id = wechat.gateway().check_image_async(check.author.openid, check.content,
                                                      check.scene)
    except wechat.WeChatRejected as exc:
        return _settle(check, "risky", error=f"微信未能检测（{exc.errcode}），请人工审核")
    except wechat.WeChatUnavailable as exc:
        _record_failure(check, exc)
        raise
    # A late answer to an earlier submission carries the old trace_id and is ignored.
    check.trace_id = trace_id
    db.session.commit()
    return check.status


def apply_verdict(check, suggest, label=None):
    """Record WeChat's verdict once; a second delivery of the same verdict changes nothing."""
    if check.status != "pending":
        return check.status
    check.suggest = suggest
    check.label = label
    return _settle(check, "passed" if suggest == "pass" else "risky")


def apply_media_callback(event):
    """A mediaCheckAsync result pushed by WeChat (already signature-checked). Returns the
    check it settled, or None for an unknown trace_id or an event we do not handle."""
    if event.get("Event") != "wxa_media_check" or not event.get("trace_id"):
        return None
    check = db.session.execute(db.select(ContentCheck).filter_by(
        trace_id=str(event["trace_id"]))).scalar_one_or_none()
    if check is None:
        log.info("mediaCheckAsync result for unknown trace_id %s", event["trace_id"])
        return None
    if int(event.get("errcode") or 0) != 0:
        # WeChat could not check it: stay pending; retry_stale submits it again.
        check.last_error = f"微信检测失败：{event.get('errcode')} {event.get('errmsg', '')}"[:300]
        db.session.commit()
        return check
    result = event.get("result") or {}
    suggest = result.get("suggest")
    if suggest not in VERDICTS:
        # Version 1 pushes isrisky instead of a suggestion.
        suggest = "risky" if int(event.get("isrisky") or 0) else "pass"
    label = result.get("label")
    apply_verdict(check, suggest, int(label) if str(label or "").lstrip("-").isdigit() else None)
    return check


def retry_stale():
    """Submit again the checks WeChat has not answered for CONTENT_CHECK_STALE_MINUTES
    (an outage, a lost callback). Returns how many."""
    cutoff = utcnow() - timedelta(minutes=current_app.config["CONTENT_CHECK_STALE_MINUTES"])
    stale = db.session.execute(db.select(ContentCheck).where(
        ContentCheck.status == "pending",
        or_(ContentCheck.submitted_at < cutoff,
            ContentCheck.submitted_at.is_(None) & (ContentCheck.created_at < cutoff)))
    ).scalars().all()
    in_hand = _checks_with_work_in_hand([check.id for check in stale])
    resubmitted = 0
    for check in stale:
        check.submitted_at = utcnow()
        if check.id not in in_hand:  # otherwise the outbox's reconciler is already on it
            _promise(check, resubmission=True)
            resubmitted += 1
    db.session.commit()
    return resubmitted


def _checks_with_work_in_hand(check_ids):
    """The checks among `check_ids` with an outbox row still pending, enqueued or running."""
    if not check_ids:
        return set()
    rows = db.session.execute(db.select(OutboxMessage.payload).where(
        OutboxMessage.kind.in_(tuple(_JOB.values())),
        OutboxMessage.state.in_(ACTIVE_STATES))).scalars()
    wanted = set(check_ids)
    return {payload.get("check_id") for payload in rows} & wanted


def _pending(check_id):
    check = db.session.get(ContentCheck, check_id)
    return check if check is not None and check.status == "pending" else None


def _attempt(check):
    check.attempts += 1
    check.submitted_at = utcnow()
    db.session.commit()


def _record_failure(check, exc):
    check.last_error = f"微信暂不可用：{exc}"[:300]
    db.session.commit()


def _settle(check, status, error=""):
    check.status = status
    check.checked_at = utcnow()
    if error:
        check.last_error = error[:300]
    if check.subject_type in ANONYMOUS_SUBJECTS:
        settle_anonymous(check)
    db.session.commit()
    return status


def _comment_of(check):
    try:
        return db.session.get(SurveyComment, uuid.UUID(check.subject_id))
    except ValueError:
        return None


COMMENT_STATUS = {"passed": "shown", "skipped": "shown", "risky": "held",
                  "rejected": "rejected"}


def settle_anonymous(check):
    """Move a settled check's verdict onto its survey comment and forget who wrote it: the
    row goes, or - held for staff review, who need the text - loses its author, its trace and
    every time that could be set beside the request log. The caller commits."""
    comment = _comment_of(check)
    if comment is None:
        return
    comment.status = COMMENT_STATUS[check.status]
    if check.status == "risky":
        _forget_author(check, comment)
        return
    comment.content_check = None
    db.session.delete(check)


def _forget_author(check, comment):
    """Keep a comment's check row (for review, or the audit entry of a review) with nothing
    that leads back to its author: no author, no WeChat trace, no time of its own."""
    check.author = None
    check.trace_id = None
    if comment is not None:
        stamp = db.session.get(Survey, comment.survey_id).opens_at
        check.created_at = check.submitted_at = check.checked_at = stamp


# --- staff review -------------------------------------------------------------------------

def list_for_staff(staff, status, page, per_page):
    query = (db.select(ContentCheck).outerjoin(Community)
             .where(access.community_filter(staff)).order_by(ContentCheck.created_at.desc(),
                                                             ContentCheck.id.desc()))
    if status:
        query = query.where(ContentCheck.status == status)
    return paginate(query, page, per_page)


def get_for_staff(staff, check_id):
    check = db.session.get(ContentCheck, check_id)
    if check is None or check.community is None or not access.staff_sees_community(
            staff, check.community):
        raise NotFound("未找到该内容", slug="content_check_not_found")
    return check


def review(actor, check_id, release, note=""):
    """Release held (or still pending) content, or reject content in any state but rejected."""
    check = get_for_staff(actor.staff, check_id)
    allowed = ("pending", "risky") if release else ("pending", "risky", "passed", "skipped")
    if check.status not in allowed:
        raise Conflict("该内容当前状态不能执行此操作", slug="content_check_state",
                       details={"status": check.status})
    before = {"status": check.status}
    check.status = "passed" if release else "rejected"
    check.reviewed_by_id = actor.staff.id
    check.reviewed_at = utcnow()
    check.review_note = note
    if check.subject_type in ANONYMOUS_SUBJECTS:
        # The check stays (the audit entry points at it); the comment takes the decision. Decided
        # before WeChat answered, the check is never settled by WeChat: forget the author now.
        comment = _comment_of(check)
        if comment is not None:
            comment.status = COMMENT_STATUS[check.status]
        _forget_author(check, comment)
    audit.record(actor, "content.release" if release else "content.reject", check, before,
                 {"status": check.status, "note": note})
    db.session.commit()
    return check
