"""Membership approvals: the committee approves or rejects residents who asked to join one of
its communities, seeing whether the address is in the household register. With htmx the row
is replaced in place; without JavaScript the form posts and the page reloads."""
from flask import flash, redirect, render_template, request, url_for

from server.console.blueprint import bp
from server.console.forms import page_args
from server.console.session import staff_required
from server.errors import APIError, Invalid
from server.services import households, memberships

STATUSES = {"pending": "待审核", "approved": "已通过", "rejected": "未通过", "left": "已退出"}


def _row(membership):
    return {"m": membership, "match": memberships.household_match(membership),
            "address": households.display_address(membership.building, membership.unit,
                                                  membership.room)}


@bp.route("/memberships")
@staff_required("committee", "street", "district", "city")
def memberships_list(actor):
    status = request.args.get("status", "pending")
    status = status if status in STATUSES else "pending"
    page, per_page = page_args()
    result = memberships.list_for(actor, status, None, page, per_page)
    return render_template("console/memberships/list.html", result=result, status=status,
                           statuses=STATUSES, rows=[_row(m) for m in result.items])


@bp.route("/memberships/<id:membership_id>/decide", methods=["POST"])
@staff_required("committee")
def membership_decide(membership_id, actor):
    approve = request.form.get("decision") == "approve"
    reason = (request.form.get("reason") or "").strip()
    error = None
    try:
        if not approve and not reason:
            memberships.get_for(actor, membership_id)  # a foreign one stays a 404
            raise Invalid("请填写不通过的原因", details={"fields": {"reason": ["请填写原因"]}})
        membership = memberships.decide(actor, membership_id, approve, reason)
    except APIError as err:
        if err.status == 404:
            raise
        membership = memberships.get_for(actor, membership_id)
        error = err.message
    if request.headers.get("HX-Request"):
        return render_template("console/memberships/_row.html", row=_row(membership),
                               statuses=STATUSES, error=error)
    if error:
        flash(error, "error")
    else:
        flash("已通过该申请" if approve else "已驳回该申请", "success")
    return redirect(url_for("console.memberships_list"))
