"""What each caller sees of a report: photos as signed links only to those who may see them,
the reporter never named, deadline problems only for staff, and the moves the caller can make."""
from server.services import photos as photo_service
from server.services import rectifications as rectification_service
from server.services.reports import filing, sla, workflow
from server.services.reports.timeline import STATUS_WORDS

ACTOR_WORDS = {"resident": "居民", "system": "系统", "partner": "12345/城市管理系统"}
ROLE_WORDS = {"committee": "居委会", "street": "街道", "district": "区", "city": "市"}


def photo_view(actor, photo):
    return {"id": photo.id, "url": photo_service.file_url(actor, photo),
            "thumb_url": photo_service.file_url(actor, photo, "thumb"), "width": photo.width,
            "height": photo.height, "hidden": photo.hidden_at is not None}


def photos_view(actor, photos):
    return [photo_view(actor, p) for p in photo_service.visible_photos(actor, photos)]


def _actions(actor, report):
    if actor.is_staff:
        return workflow.staff_actions(actor.staff, report)
    if report.reporter_id == actor.resident.id:
        return ["rate"] if report.status == "resolved" else []
    open_ = report.closed_at is None and report.status not in filing.CLOSED_FOR_OTHERS
    return ["support"] if open_ else []


def report_view(actor, report, detail=False):
    mine = not actor.is_staff and report.reporter_id == actor.resident.id
    check = report.content_check
    view = {column: getattr(report, column) for column in (
        "id", "description", "building", "latitude", "longitude", "is_public", "status",
        "support_count", "handler_kind", "handler_name", "referral_ref", "merged_into_id",
        "reply", "rating", "rework_count", "close_reason", "fixed", "created_at", "updated_at",
        "accepted_at", "contacted_at", "resolved_at", "closed_at", "contact_due_at",
        "accept_due_at", "resolve_due_at", "deadlines_provisional")}
    view.update({
        "community": report.community, "category": report.category,
        "status_text": STATUS_WORDS.get(report.status, report.status), "mine": mine,
        "supported": (not actor.is_staff and not mine
                      and filing.supported_by(actor.resident, report)),
        "closed": report.closed_at is not None,
        "overdue": sla.is_overdue(report),
        "deadline_error": report.deadline_error if actor.is_staff else "",
        "content_status": check.status if check is not None else "none",
        "allowed_actions": _actions(actor, report),
        # The report's own photos; after-photos are shown with their timeline entry.
        "photos": photos_view(actor, [p for p in report.photos if p.event_id is None]),
    })
    if detail:
        view["timeline"] = [event_view(actor, e) for e in report.events]
        view["extensions"] = list(report.extensions) if actor.is_staff else []
    return view


def event_view(actor, event):
    if event.actor_kind == "staff" and event.actor_staff is not None:
        who = ROLE_WORDS.get(event.actor_staff.role, "工作人员")
    else:
        who = ACTOR_WORDS.get(event.actor_kind, event.actor_kind)
    return {"id": event.id, "at": event.at, "actor": who, "action": event.action,
            "from_status": event.from_status, "to_status": event.to_status, "note": event.note,
            "data": event.data or {}, "photos": photos_view(actor, event.photos)}


def board_view(actor, report):
    after = [p for p in report.photos if p.event_id is not None]
    return {"id": report.id, "category": report.category.name, "building": report.building,
            "description": report.description, "reply": report.reply, "rating": report.rating,
            "support_count": report.support_count, "created_at": report.created_at,
            "closed_at": report.closed_at, "photos": photos_view(actor, after)}


def rectification_view(actor, order):
    return {
        **{c: getattr(order, c) for c in (
            "id", "title", "requirement", "area", "deadline", "status", "answer",
            "verdict_note", "created_at", "answered_at", "verified_at")},
        "community": order.community, "report_ids": [r.id for r in order.reports],
        "overdue": rectification_service.is_overdue(order),
        "events": [{"id": e.id, "at": e.at, "action": e.action, "note": e.note,
                    "actor": ROLE_WORDS.get(e.actor_staff.role, "工作人员"),
                    "photos": photos_view(actor, e.photos)} for e in order.events],
    }
