"""Rectification orders (整改意见, 督查整改): the street issues, the committee answers with what it
did and photos, the street verifies (passed / returned, and a returned order is answered
again). Every step is an event on the order and a row in the audit log."""
from dataclasses import dataclass

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import Community, Rectification, RectificationEvent, Report
from server.models.base import utcnow
from server.services import access, audit, clock, photos as photo_service, staff_notifications
from server.services.pagination import paginate


@dataclass(frozen=True)
class Move:
    to: str
    by: str
    needs_note: bool = False


MOVES = {
    ("issued", "answer"): Move("answered", "committee", True),
    ("returned", "answer"): Move("answered", "committee", True),
    ("answered", "pass"): Move("passed", "street"),
    ("answered", "return"): Move("returned", "street", True),
}
OPEN = ("issued", "returned")
ACTION_BY = {action: move.by for (_, action), move in MOVES.items()}


def _check_level(actor, by):
    if actor.staff.role != by:
        who = "居委会" if by == "committee" else "街道"
        raise Forbidden(f"该操作由{who}工作人员办理", slug=f"{by}_only")


def issue(actor, body):
    if actor.staff.role != "street":
        raise Forbidden("整改意见由街道工作人员下发", slug="street_only")
    community = access.community_for_staff(actor.staff, body["community_id"])
    report_ids = body.get("report_ids") or []
    if not report_ids and not body.get("area"):
        raise Invalid("请指明涉及的反映或标准领域",
                      details={"fields": {"report_ids": ["反映或标准领域至少填一项"]}})
    reports = db.session.execute(db.select(Report).where(Report.id.in_(report_ids))
                                 ).scalars().all() if report_ids else []
    if len(reports) != len(set(report_ids)) or any(
            r.community_id != community.id for r in reports):
        raise Invalid("只能指向该小区的反映",
                      details={"fields": {"report_ids": ["包含不属于该小区的反映"]}})
    if body["deadline"] < clock.today():
        raise Invalid("整改期限不能早于今天",
                      details={"fields": {"deadline": ["整改期限不能早于今天"]}})
    order = Rectification(community=community, issued_by_id=actor.staff.id,
                          title=body["title"].strip(), requirement=body["requirement"].strip(),
                          area=body.get("area"), deadline=body["deadline"], status="issued",
                          reports=list(reports))
    db.session.add(order)
    db.session.flush()
    _event(order, actor, "issue", order.requirement)
    audit.record(actor, "rectification.issue", order, None, _snapshot(order))
    db.session.commit()
    return order


def list_for(actor, args):
    query = (db.select(Rectification).join(Community)
             .where(access.community_filter(actor.staff))
             .order_by(Rectification.created_at.desc(), Rectification.id.desc()))
    if args.get("status"):
        query = query.where(Rectification.status == args["status"])
    if args.get("community_id"):
        query = query.where(Rectification.community_id == args["community_id"])
    if args.get("overdue"):
        query = query.where(Rectification.status.in_(OPEN),
                            Rectification.deadline < clock.today())
    return paginate(query, args["page"], args["per_page"])


def get_for(actor, order_id):
    order = db.session.get(Rectification, order_id)
    if order is None or not access.staff_sees_community(actor.staff, order.community):
        raise NotFound("未找到该整改意见", slug="rectification_not_found")
    return order


def act(actor, order_id, action, note, photo_ids):
    # Each action is one level's whatever the status: the wrong level is 403 before the
    # order is looked up, so only the right level learns 404 outside its scope.
    if action in ACTION_BY:
        _check_level(actor, ACTION_BY[action])
    order = get_for(actor, order_id)
    move = MOVES.get((order.status, action))
    if move is None:
        raise Conflict("该整改意见当前状态不能执行此操作", slug="rectification_bad_move",
                       details={"status": order.status, "action": action,
                                "allowed": [a for (s, a) in MOVES if s == order.status]})
    _check_level(actor, move.by)
    note = (note or "").strip()
    if move.needs_note and not note:
        raise Invalid("请填写说明", details={"fields": {"note": ["请填写说明"]}})
    photos = photo_service.claim(actor, photo_ids or [])
    before = _snapshot(order)
    now = utcnow()
    order.status = move.to
    if action == "answer":
        order.answer, order.answered_at = note, now
    else:
        order.verdict_note, order.verified_at = note, now
    event = _event(order, actor, action, note)
    for photo in photos:
        photo.rectification_id, photo.rectification_event_id = order.id, event.id
    audit.record(actor, f"rectification.{action}", order, before, _snapshot(order))
    if action == "answer":
        staff_notifications.rectification_answered(order)
    db.session.commit()
    return order


def is_overdue(order, today=None):
    return order.status in OPEN and order.deadline < (today or clock.today())


def _event(order, actor, action, note):
    event = RectificationEvent(rectification_id=order.id, actor_staff_id=actor.staff.id,
                               action=action, note=note, at=utcnow())
    db.session.add(event)
    db.session.flush()
    return event


def _snapshot(order):
    return {"status": order.status, "deadline": order.deadline.isoformat(),
            "community_id": order.community_id, "area": order.area,
            "report_ids": [r.id for r in order.reports]}
