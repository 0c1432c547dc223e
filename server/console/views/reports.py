"""The committee's inbox of reports and a report's page with every action; streets see the
same pages for all the communities under them (and decide extensions)."""
from flask import redirect, render_template, request, url_for
from sqlalchemy import and_, case

from server.console import clocks, labels
from server.console.blueprint import bp
from server.console.forms import attempt, int_field, page_args, photo_links, uploaded_photo_ids
from server.console.session import staff_required
from server.errors import APIError
from server.models import Report
from server.models.base import utcnow
from server.services import org
from server.services.pagination import paginate
from server.services.reports import access as report_access
from server.services.reports import sla, workflow

TABS = {"todo": "待办", "resolved": "待居民评价", "closed": "已结束", "all": "全部"}


def _next_due():
    """The deadline that matters next for an open report: acceptance while submitted, first
    contact once accepted, resolution after that."""
    return case((Report.status == "submitted", Report.accept_due_at),
                (Report.status == "accepted", Report.contact_due_at),
                else_=Report.resolve_due_at)


def inbox_query(actor, tab, now, community_id=None):
    query = report_access.scoped_select(actor)
    if community_id:
        query = query.where(Report.community_id == community_id)
    if tab == "todo":
        query = query.where(Report.closed_at.is_(None), Report.status != "resolved")
    elif tab == "resolved":
        query = query.where(Report.status == "resolved")
    elif tab == "closed":
        query = query.where(Report.closed_at.is_not(None))
    due = _next_due()
    # Overdue first (marked by the SLA scan or past the next deadline), then under a day left,
    # then by the next deadline; reports without a deadline last. Only a report still waiting
    # on the committee can be late: a resolved or closed one ranks with the rest.
    waiting = Report.status.in_(sla.UNRESOLVED)
    rank = case((sla.overdue_clause(), 0), (and_(waiting, due < now), 0),
                (and_(waiting, due < now + clocks.NEARLY), 1), else_=2)
    return query.order_by(rank, due.is_(None), due, Report.id)


@bp.route("/reports")
@staff_required("committee", "street", "district", "city")
def reports_inbox(actor):
    tab = request.args.get("tab", "todo")
    tab = tab if tab in TABS else "todo"
    community_id = request.args.get("community", type=int)
    now = utcnow()
    page, per_page = page_args()
    result = paginate(inbox_query(actor, tab, now, community_id), page, per_page)
    rows = [{"report": r, "clocks": clocks.clocks(r, now), "urgency": clocks.urgency(r, now),
             "overdue": sla.is_overdue(r)} for r in result.items]
    return render_template("console/reports/inbox.html", rows=rows, result=result, tab=tab,
                           tabs=TABS, community_id=community_id,
                           communities=org.search_communities(actor, "", 1, 200).items)


@bp.route("/reports/<id:report_id>")
@staff_required("committee", "street", "district", "city")
def report_detail(report_id, actor):
    report = report_access.get_for(actor, report_id)
    events = [{"event": e, "photos": photo_links(actor, e.photos),
               "who": (labels.ROLES.get(e.actor_staff.role, "工作人员")
                       if e.actor_kind == "staff" and e.actor_staff else
                       labels.ACTOR_KINDS.get(e.actor_kind, e.actor_kind))}
              for e in report.events]
    return render_template(
        "console/reports/detail.html", report=report, clocks=clocks.clocks(report),
        photos=photo_links(actor, [p for p in report.photos if p.event_id is None]),
        events=events, actions=workflow.staff_actions(actor.staff, report),
        pending_extension=(sla.pending_extension(report)
                           if report.status in sla.OPEN_HANDLING else None),
        handler_kinds=workflow.HANDLER_KINDS)


@bp.route("/reports/<id:report_id>/actions", methods=["POST"])
@staff_required("committee", "street")
def report_act(report_id, actor):
    action = request.form.get("action", "")
    with attempt(f"已{labels.REPORT_ACTIONS.get(action, action)}"):
        report_access.get_for(actor, report_id)  # 404 before storing any photo
        if action not in workflow.STAFF_ACTIONS:
            raise APIError("未知的操作", slug="unknown_action", status=422)
        body = {"note": request.form.get("note", ""),
                "handler_kind": request.form.get("handler_kind") or None,
                "handler_name": request.form.get("handler_name", ""),
                "referral_ref": request.form.get("referral_ref", ""),
                "merged_into_id": int_field("merged_into_id", "合并到的反映编号"),
                "days": int_field("days", "延期天数")}
        body["photo_ids"] = uploaded_photo_ids(actor)
        workflow.act(actor, report_id, action, body)
    return redirect(url_for("console.report_detail", report_id=report_id))

