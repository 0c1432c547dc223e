"""A report's handling as a state machine. MOVES is the whole table of allowed moves: anything
not in it is a 409, whoever asks. Each move is made by one kind of actor, may need fields, and
is written to the append-only timeline (and the audit log for staff) with a message to the
reporter and supporters.

    submitted -> accepted | rejected (reason) | merged (into another report)
    accepted -> contacted -> in_progress (assigned) | referred (12345 reference)
    in_progress -> resolved (reply + after-photos)
    resolved -> closed (满意/基本满意, a second 不满意, or 7 days without rating)
             -> in_progress (the first 不满意: rework, once)
    accepted/contacted/in_progress: extension asked by the committee, decided by the street
"""
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from server.errors import Conflict, Forbidden, Invalid
from server.extensions import db
from server.models import Report, ReportSupport
from server.models.base import utcnow
from server.services import audit, photos as photo_service
from server.services.reports import access as report_access
from server.services.reports import sla, timeline


@dataclass(frozen=True)
class Move:
    to: str | None  # None: the status stays
    by: str  # committee | street | reporter | system
    needs: tuple = ()
    close: tuple | None = None  # (close_reason, fixed) when the move closes the report


MOVES = {
    ("submitted", "accept"): Move("accepted", "committee"),
    ("submitted", "reject"): Move("rejected", "committee", ("note",), ("rejected", False)),
    ("submitted", "merge"): Move("merged", "committee", ("merged_into_id",), ("merged", False)),
    ("accepted", "contact"): Move("contacted", "committee"),
    ("contacted", "assign"): Move("in_progress", "committee", ("handler_kind", "handler_name")),
    ("contacted", "refer"): Move("referred", "committee", ("referral_ref",), ("referred", False)),
    ("in_progress", "resolve"): Move("resolved", "committee", ("note", "photo_ids")),
    ("resolved", "confirm"): Move("closed", "reporter", (), ("confirmed", True)),
    ("resolved", "rework"): Move("in_progress", "reporter"),
    ("resolved", "close_dissatisfied"): Move("closed", "reporter", (), ("dissatisfied", False)),
    ("resolved", "auto_close"): Move("closed", "system", (), ("unrated", True)),
}
for _status in sla.OPEN_HANDLING:
    MOVES[(_status, "request_extension")] = Move(None, "committee", ("days", "note"))
    MOVES[(_status, "approve_extension")] = Move(None, "street")
    MOVES[(_status, "reject_extension")] = Move(None, "street", ("note",))

STAFF_ACTIONS = ("accept", "reject", "merge", "contact", "assign", "refer", "resolve",
                 "request_extension", "approve_extension", "reject_extension")
HANDLER_KINDS = ("committee_member", "property", "owners_committee")
ROLE_FOR = {"committee": "committee", "street": "street"}
# Each action is made by one party whatever the status it is made from.
ACTION_BY = {action: move.by for (_, action), move in MOVES.items()}
FIELD_NAMES = {"note": "说明", "photo_ids": "办结照片", "merged_into_id": "合并到的反映",
               "handler_kind": "处理方", "handler_name": "处理人", "referral_ref": "12345 工单号",
               "days": "延期天数"}


def allowed_actions(status, by=None):
    return [action for (s, action), move in MOVES.items()
            if s == status and (by is None or move.by == by)]


def staff_actions(staff, report):
    """The moves this staff member can make on the report now: their role's moves, with the
    extension decision only while one is pending and a new request only while none is."""
    by = ROLE_FOR.get(staff.role)
    actions = allowed_actions(report.status, by) if by else []
    pending = sla.pending_extension(report) if report.status in sla.OPEN_HANDLING else None
    if pending is not None:
        actions = [a for a in actions if a != "request_extension"]
    else:
        actions = [a for a in actions if a not in ("approve_extension", "reject_extension")]
    return [a for a in actions if a in STAFF_ACTIONS]


def _move(report, action):
    move = MOVES.get((report.status, action))
    if move is None:
        raise Conflict("该反映当前状态不能执行此操作", slug="report_bad_move",
                       details={"status": report.status, "action": action,
                                "allowed": allowed_actions(report.status)})
    return move


def act(actor, report_id, action, body):
    """A staff member's move on a report. 404 outside their scope, 403 for the wrong role,
    409 for a move the table does not allow, 422 for missing fields."""
    # Who makes a move depends on the action alone, so the wrong role is 403 before the
    # report is looked up: outside the scope, only the right role learns 404.
    if action in ACTION_BY:
        _check_role(actor, ACTION_BY[action])
    report = _locked(report_access.get_for(actor, report_id))
    move = MOVES.get((report.status, action)) or _move(report, action)
    _check_role(actor, move.by)
    _require(move, body)
    before = _snapshot(report)
    note = (body.get("note") or "").strip()
    now = utcnow()
    photos = photo_service.claim(actor, body.get("photo_ids") or [])
    data = _apply(actor, report, action, body, now)
    event = timeline.record(report, actor, action, before["status"], move.to or report.status,
                            note=note, data=data, photos=photos)
    if move.to is not None:
        report.status = move.to
    if move.close:
        _close(report, move.close, now)
    audit.record(actor, f"report.{action}", report, before, _snapshot(report))
    if action != "request_extension":  # the street's business until it is decided
        timeline.notify_change(report, "extend" if action == "approve_extension" else action,
                               note=note)
    db.session.commit()
    return report, event


def _check_role(actor, by):
    if by not in ROLE_FOR or actor.staff.role != ROLE_FOR[by]:
        who = "居委会" if by == "committee" else "街道"
        raise Forbidden(f"该操作由{who}工作人员办理", slug=f"{by}_only")


def _locked(report):
    """The report re-read under a row lock (PostgreSQL; SQLite has one writer anyway), so two
    clicks on two API servers cannot both make the same move from the status they both read:
    the second waits, then sees the new status and gets 409."""
    db.session.refresh(report, with_for_update=True)
    return report


def _require(move, body):
    missing = {f: [f"请填写{FIELD_NAMES[f]}"] for f in move.needs
               if body.get(f) in (None, "", []) or (isinstance(body.get(f), str)
                                                    and not body[f].strip())}
    if missing:
        raise Invalid("请补充必填内容", details={"fields": missing})


def _apply(actor, report, action, body, now):
    if action == "accept":
        report.decided_at = report.accepted_at = now
    elif action in ("reject", "merge"):
        report.decided_at = now
        if action == "merge":
            return _merge(report, body["merged_into_id"])
    elif action == "contact":
        report.contacted_at = now
    elif action == "assign":
        if body["handler_kind"] not in HANDLER_KINDS:
            raise Invalid("处理方应为居委会成员、物业或业委会",
                          details={"fields": {"handler_kind": ["无效的处理方"]}})
        report.handler_kind = body["handler_kind"]
        report.handler_name = body["handler_name"].strip()
        return {"handler_kind": report.handler_kind, "handler_name": report.handler_name}
    elif action == "refer":
        report.referral_ref = body["referral_ref"].strip()
        report.handler_kind = "hotline_12345"
        return {"referral_ref": report.referral_ref}
    elif action == "resolve":
        report.resolved_at = now
        report.reply = body["note"].strip()
    elif action == "request_extension":
        sla.validate_days(body["days"])
        sla.request_extension(actor, report, body["days"], body["note"].strip())
        return {"days": body["days"]}
    elif action in ("approve_extension", "reject_extension"):
        extension = sla.decide_extension(actor, report, action == "approve_extension",
                                         (body.get("note") or "").strip())
        return {"days": extension.days, "new_due_date": extension.new_due_date.isoformat()
                if extension.new_due_date else None}
    return {}


def _merge(report, target_id):
    target = db.session.get(Report, target_id)
    if (target is None or target.id == report.id or target.community_id != report.community_id
            or target.status in ("rejected", "merged")):
        raise Invalid("只能合并到本小区另一条有效的反映",
                      details={"fields": {"merged_into_id": ["无效的反映"]}})
    report.merged_into_id = target.id
    # The reporter follows the surviving report as a supporter, so they still hear of it
    # (a partner system follows its request through Open311 instead).
    if report.reporter_id is not None and target.reporter_id != report.reporter_id and (
            db.session.execute(db.select(ReportSupport.id).filter_by(
                report_id=target.id, resident_id=report.reporter_id)).first() is None):
        db.session.add(ReportSupport(report_id=target.id, resident_id=report.reporter_id))
        target.support_count += 1
    return {"merged_into_id": target.id}


def _close(report, close, now):
    report.close_reason, report.fixed = close
    report.closed_at = now
    # How reports were handled is part of the community's score (群众监督): rescore it.
    from server.services import scoring

    scoring.request_recompute(report.community_id, "report_closed")


def close(report, actor, action, now):
    """A closing move made outside a staff request (rating, auto-close)."""
    move = _move(report, action)
    before = report.status
    report.status = move.to
    _close(report, move.close, now)
    note = "居民 7 天内未评价，系统自动办结" if action == "auto_close" else ""
    timeline.record(report, actor, action, before, report.status, note=note)
    timeline.notify_change(report, action, note=note)


def auto_close(now=None):
    """Close resolved reports the reporter has not rated within REPORT_RATING_DAYS days: closed
    as fixed, outcome "unrated". Idempotent. Returns how many."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["REPORT_RATING_DAYS"])
    stale = db.session.execute(db.select(Report).where(
        Report.status == "resolved", Report.resolved_at < cutoff).order_by(Report.id)
    ).scalars().all()
    for report in stale:
        close(report, "system", "auto_close", now)
    db.session.commit()
    return len(stale)


RATING_WORDS = {"satisfied": "满意", "basically_satisfied": "基本满意",
                "dissatisfied": "不满意"}


def rate(actor, report_id, rating, note=""):
    """The reporter rates a resolved report: 满意/基本满意 close it as fixed; the first 不满意
    reopens it as rework (once); a second 不满意 closes it unfixed."""
    report = _locked(report_access.get_for(actor, report_id))
    if report.reporter_id != actor.resident.id:
        raise Forbidden("只有反映人可以评价", slug="reporter_only")
    if report.status != "resolved":
        # The resident learns why, not the state machine's internal moves.
        raise Conflict("只有已办结、等待评价的反映可以评价", slug="report_not_ratable",
                       details={"status": report.status})
    if rating != "dissatisfied":
        action = "confirm"
    else:
        action = "rework" if report.rework_count == 0 else "close_dissatisfied"
    move = _move(report, action)
    now = utcnow()
    before = report.status
    report.rating, report.rated_at = rating, now
    data = {"rating": rating}
    if action == "rework":
        report.rework_count += 1
        report.status = move.to
        sla.restart_resolution(report, now)
    else:
        report.status = move.to
        _close(report, move.close, now)
    timeline.record(report, actor, action, before, report.status,
                    note=note or RATING_WORDS[rating], data=data)
    timeline.notify_change(report, action, note=RATING_WORDS[rating],
                           skip_resident_id=actor.resident.id)
    db.session.commit()
    return report


def _snapshot(report):
    return {"status": report.status, "handler_kind": report.handler_kind,
            "referral_ref": report.referral_ref, "merged_into_id": report.merged_into_id,
            "resolve_due_at": report.resolve_due_at.isoformat() if report.resolve_due_at
            else None}
