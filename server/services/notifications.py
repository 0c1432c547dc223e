"""Notifications: an inbox row for every message, and its delivery as a subscribe message.

`notify(...)` is called by other services inside their own transaction: it writes the inbox
row and an outbox row, so the resident's inbox never depends on Redis or WeChat. The job
outbox runs `deliver(id)`, which is idempotent: a notification already delivered (or given up
on) is left alone, and two workers handed the same job cannot both send it (the row is claimed
with a lease first). The final state is left uncommitted, for the outbox to commit with its
own outcome: the delivery and the row that promised it never disagree.
"""
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, update

from server import wechat
from server.errors import NotFound
from server.extensions import db
from server.models import Community, Membership, Notification
from server.models.base import utcnow
from server.models.notification import FINAL_DELIVERY_STATES
from server.services import access, clock, households, outbox
from server.services.pagination import paginate

log = logging.getLogger(__name__)

# Our field names -> the template's keywords, for the templates suggested in the README; a
# deployment whose templates differ sets WECHAT_TEMPLATE_<KIND>_KEYS.
DEFAULT_TEMPLATE_KEYS = {
    "membership_decided": {"community": "thing1", "result": "phrase2", "decided_at": "time3",
                           "note": "thing4"},
    "report_status": {"title": "thing1", "status": "phrase2", "updated_at": "time3",
                      "note": "thing4"},
    "survey_opened": {"title": "thing1", "community": "thing2", "deadline": "time3"},
    "rectification_due": {"title": "thing1", "due_at": "time2", "status": "phrase3"},
    # To staff: a community's standing in the evaluation changed (a later-learned veto event).
    "eligibility_changed": {"community": "thing1", "status": "phrase2", "updated_at": "time3",
                            "note": "thing4"},
}
# WeChat's length limits per keyword type (thing: 20 characters, phrase: 5, ...).
KEYWORD_LIMITS = {"thing": 20, "phrase": 5, "name": 10, "character_string": 32, "number": 32,
                  "letter": 32, "symbol": 5, "car_number": 8, "phone_number": 17}


def notify(resident, kind, title, body, fields, page="", community=None):
    """Write an inbox row and promise its delivery, in the caller's transaction."""
    return _write(Notification(resident=resident), kind, title, body, fields, page, community)


def notify_staff(staff, kind, title, body, fields, page="", community=None):
    """The same for a staff member: an inbox row (GET /notifications as staff) and its delivery
    to the WeChat account they bound, if any."""
    return _write(Notification(staff=staff), kind, title, body, fields, page, community)


def _write(notification, kind, title, body, fields, page, community):
    if kind not in DEFAULT_TEMPLATE_KEYS:
        raise ValueError(f"unknown notification kind {kind!r}")
    notification.kind, notification.title, notification.body = kind, title[:60], body[:500]
    notification.fields, notification.page, notification.community = fields, page, community
    db.session.add(notification)
    db.session.flush()
    outbox.add("notification.deliver", {"notification_id": notification.id},
               dedupe_key=f"notification-{notification.id}")
    return notification


def membership_decided(membership):
    approved = membership.status == "approved"
    community = membership.community
    address = households.display_address(membership.building, membership.unit, membership.room)
    decided_at = membership.decided_at
    if approved:
        title, result = "入住申请已通过", "已通过"
        body = f"您加入{community.name}（{address}）的申请已通过审核。"
        note = "欢迎参与小区问卷与问题反馈"
    elif membership.status == "revoked":
        title, result = "入住资格已撤销", "已撤销"
        body = f"您在{community.name}（{address}）的入住资格已被居委会撤销。原因：{membership.reason}"
        note, decided_at = membership.reason, membership.left_at
    else:
        title, result = "入住申请未通过", "未通过"
        body = f"您加入{community.name}（{address}）的申请未通过审核。原因：{membership.reason}"
        note = membership.reason
    fields = {"community": community.name, "result": result,
              "decided_at": clock.display(decided_at), "note": note}
    return notify(membership.resident, "membership_decided", title, body, fields,
                  page="pages/mine/index", community=community)


# --- delivery (run by the notify job) -----------------------------------------------------

def deliver(notification_id):
    """Send one notification as a subscribe message. Returns its delivery state. Raises
    WeChatUnavailable (after recording the attempt) so that the job is retried later."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.delivery in FINAL_DELIVERY_STATES:
        return notification.delivery if notification else None
    if not _claim(notification):
        # Another run holds a live claim: not ours to send, and not finished either.
        raise outbox.RetryLater(f"notification {notification.id} is being sent by another run")
    if not _still_connected(notification):
        return _finish(notification, "recipient_left")
    openid = (notification.resident.openid if notification.resident_id is not None
              else notification.staff.wechat_openid)
    if not openid:
        return _finish(notification, "not_configured", error="未绑定微信")
    gateway = wechat.gateway()
    template_id = current_app.config["WECHAT_TEMPLATES"].get(notification.kind)
    if not gateway.configured or not template_id:
        return _finish(notification, "not_configured",
                       error="未配置微信凭证" if not gateway.configured else "未配置消息模板")
    try:
        gateway.send_subscribe_message(openid, template_id,
                                       template_data(notification), notification.page or None)
    except wechat.WeChatRejected as exc:
        state = "not_subscribed" if exc.errcode == wechat.NOT_SUBSCRIBED else "failed"
        return _finish(notification, state, errcode=exc.errcode, error=str(exc))
    except wechat.WeChatUnavailable as exc:
        notification.delivery = "pending"
        notification.delivery_claimed_at = None
        notification.delivery_errcode = exc.errcode
        notification.delivery_error = str(exc)[:300]
        db.session.commit()
        raise
    return _finish(notification, "sent")


def gave_up(notification_id):
    """The outbox spent its retries (or an operator abandoned the row): the message stays in
    the inbox, marked as not pushed, instead of waiting there as pending for ever."""
    notification = db.session.get(Notification, notification_id)
    if notification is not None and notification.delivery in ("pending", "sending"):
        notification.delivery = "failed"
        notification.delivery_claimed_at = None


def revived(notification_id):
    """An operator put the row back (`flask outbox retry`): the message may be sent again."""
    notification = db.session.get(Notification, notification_id)
    if notification is not None and notification.delivery == "failed":
        notification.delivery = "pending"
        notification.delivery_claimed_at = None


def template_data(notification):
    keys = dict(DEFAULT_TEMPLATE_KEYS[notification.kind])
    keys.update(current_app.config["WECHAT_TEMPLATE_KEYS"].get(notification.kind) or {})
    return {keyword: _fit(keyword, notification.fields.get(field, ""))
            for field, keyword in keys.items()}


def _fit(keyword, value):
    kind = keyword.rstrip("0123456789")
    limit = KEYWORD_LIMITS.get(kind)
    value = str(value or "-")
    if limit and len(value) > limit:
        value = value[:limit - 1] + "…"
    return value


def _claim(notification):
    """A lease, never a bare flag: no run outlives the outbox's job timeout, so a claim older
    than that belonged to a run that died mid-send (a SIGKILLed worker), and the run the
    reconciler started once the row's own (longer) lease lapsed takes it over."""
    now = utcnow()
    expired = now - timedelta(seconds=outbox.job_timeout())
    result = db.session.execute(
        update(Notification).where(
            Notification.id == notification.id,
            or_(Notification.delivery == "pending",
                (Notification.delivery == "sending")
                & (Notification.delivery_claimed_at < expired)))
        .values(delivery="sending", delivery_claimed_at=now,
                delivery_attempts=Notification.delivery_attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(notification)
    return result.rowcount == 1


def _still_connected(notification):
    """A resident who left the community is not sent its messages (a rejected applicant is
    still told the decision); a deactivated staff member is sent nothing."""
    if notification.staff_id is not None:
        return notification.staff.active
    if notification.community_id is None:
        return True
    status = db.session.execute(
        db.select(Membership.status).where(
            Membership.resident_id == notification.resident_id,
            Membership.community_id == notification.community_id)
        .order_by(Membership.id.desc()).limit(1)).scalar_one_or_none()
    return status is not None and status != "left"


def _finish(notification, state, errcode=None, error=""):
    notification.delivery = state
    notification.delivery_errcode = errcode
    notification.delivery_error = error[:300]
    if state == "sent":
        notification.delivered_at = utcnow()
    db.session.flush()
    log.info("Notification %s: %s", notification.id, state)
    return state


# --- the inbox ----------------------------------------------------------------------------

def _mine(actor):
    if actor.is_staff:
        return Notification.staff_id == actor.staff.id
    return Notification.resident_id == actor.resident.id


def list_for(actor, page, per_page, unread=False):
    query = (db.select(Notification).where(_mine(actor))
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    if unread:
        query = query.where(Notification.read_at.is_(None))
    return paginate(query, page, per_page)


def unread_count(actor):
    return db.session.execute(db.select(db.func.count(Notification.id)).where(
        _mine(actor), Notification.read_at.is_(None))).scalar_one()


def mark_read(actor, notification_id):
    notification = db.session.get(Notification, notification_id)
    if notification is None or not db.session.execute(db.select(Notification.id).where(
            Notification.id == notification_id, _mine(actor))).first():
        raise NotFound("未找到该消息", slug="notification_not_found")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(actor):
    result = db.session.execute(
        update(Notification).where(_mine(actor), Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


def delivery_summary(staff):
    """How messages to residents in the staff member's scope fared, by delivery state."""
    rows = db.session.execute(
        db.select(Notification.delivery, db.func.count(Notification.id))
        .join(Community, Community.id == Notification.community_id)
        .where(access.community_filter(staff)).group_by(Notification.delivery)).all()
    return {state: count for state, count in rows}


def subscribe_templates():
    """{kind: template_id} for the kinds with a configured template."""
    return {kind: tid for kind, tid in current_app.config["WECHAT_TEMPLATES"].items() if tid}


def wechat_status(staff):
    config = current_app.config
    return {"configured": wechat.gateway().configured,
            "text_check": config["WECHAT_TEXT_CHECK"],
            "media_check": config["WECHAT_MEDIA_CHECK"],
            "templates": {kind: bool(tid) for kind, tid in config["WECHAT_TEMPLATES"].items()},
            "deliveries": delivery_summary(staff),
            "unsent_outbox": outbox.unsent_count(),
            "outbox": outbox.counts_by_state()}
