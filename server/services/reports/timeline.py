"""The append-only timeline of a report, and the messages each change sends.

Every change of a report writes one ReportEvent and, in the same transaction, notifies the
reporter and every supporter (inbox row + outbox row, delivered by the notify job), so a
resident learns of each step even if WeChat is down at that moment.
"""
from server.extensions import db
from server.models import PartnerSystem, ReportEvent, ReportSupport, Resident
from server.models.base import utcnow
from server.services import clock, notifications

# Status words for the subscribe message (WeChat's phrase keywords hold 5 characters).
STATUS_WORDS = {
    "submitted": "已提交", "accepted": "已受理", "rejected": "不予受理", "merged": "已合并",
    "contacted": "已联系", "in_progress": "处理中", "referred": "已转12345", "resolved": "已办结",
    "closed": "已关闭",
}
# What residents are told for moves that keep the status.
ACTION_WORDS = {"escalate": "街道督办", "extend": "已延期", "rework": "返工处理"}


def record(report, actor, action, from_status, to_status, note="", data=None, photos=()):
    """Append one timeline entry; `actor` is an auth.Actor, "system" or a PartnerSystem
    (a request filed through Open311)."""
    entry = ReportEvent(report=report, action=action, from_status=from_status,
                        to_status=to_status, note=note or "", data=data or {}, at=utcnow())
    if actor == "system":
        entry.actor_kind = "system"
    elif isinstance(actor, PartnerSystem):
        entry.actor_kind = "partner"
    elif actor.is_staff:
        entry.actor_kind, entry.actor_staff_id = "staff", actor.staff.id
    else:
        entry.actor_kind, entry.actor_resident_id = "resident", actor.resident.id
    db.session.add(entry)
    db.session.flush()
    for photo in photos:
        photo.report_id = report.id
        photo.event_id = entry.id
    report.updated_at = entry.at
    return entry


def notify_change(report, action, note="", skip_resident_id=None):
    """Tell the reporter and supporters about a change (not the resident who made it)."""
    word = ACTION_WORDS.get(action) or STATUS_WORDS.get(report.status, report.status)
    title = f"您反映的问题{word}"
    body = f"【{report.category.name}】{report.description[:60]}：{word}。" + (
        f"说明：{note}" if note else "")
    fields = {"title": report.category.name, "status": word,
              "updated_at": clock.display(report.updated_at or utcnow()),
              "note": note or word}
    page = f"pages/report-detail/index?id={report.id}"
    for resident in _audience(report):
        if resident.id == skip_resident_id:
            continue
        notifications.notify(resident, "report_status", title, body, fields, page=page,
                             community=report.community)


def _audience(report):
    supporters = db.session.execute(
        db.select(Resident).join(ReportSupport, ReportSupport.resident_id == Resident.id)
        .where(ReportSupport.report_id == report.id).order_by(Resident.id)).scalars().all()
    # A report filed by a partner system has no resident reporter, only supporters.
    reporter = [report.reporter] if report.reporter is not None else []
    return reporter + [r for r in supporters if r.id != report.reporter_id]
