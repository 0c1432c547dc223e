"""Rectification orders (督查整改): the street issues one to a community, the committee answers
with what it did and photos, the street passes it or sends it back."""
from flask import redirect, render_template, request, url_for

from server.console.blueprint import bp
from server.console.forms import (attempt, id_list, int_field, load, page_args, photo_links,
                                  uploaded_photo_ids)
from server.console.session import staff_required
from server.models.report import AREAS
from server.schemas.rectification import RectificationIn
from server.services import org, rectifications

STATUSES = {"issued": "待整改", "answered": "已答复待核查", "returned": "已退回", "passed": "已通过"}
ACTIONS = {"answer": "提交整改情况", "pass": "核查通过", "return": "退回重新整改"}
EVENT_WORDS = {"issue": "下发整改意见", "answer": "答复整改情况", "pass": "核查通过",
               "return": "退回重新整改"}


@bp.route("/rectifications")
@staff_required("committee", "street", "district", "city")
def rectifications_list(actor):
    status = request.args.get("status") or None
    status = status if status in STATUSES else None
    page, per_page = page_args()
    result = rectifications.list_for(actor, {"status": status, "page": page,
                                             "per_page": per_page})
    return render_template("console/rectifications/list.html", result=result, status=status,
                           statuses=STATUSES, is_overdue=rectifications.is_overdue)


@bp.route("/rectifications/new", methods=["GET", "POST"])
@staff_required("street")
def rectification_new(actor):
    if request.method == "POST":
        with attempt("已下发整改意见") as outcome:
            data = load(RectificationIn(), {
                "community_id": int_field("community_id", "小区", required=True),
                "title": request.form.get("title", "").strip(),
                "requirement": request.form.get("requirement", "").strip(),
                "area": request.form.get("area") or None,
                "deadline": request.form.get("deadline", ""),
                "report_ids": id_list("report_ids")})
            order = rectifications.issue(actor, data)
        if outcome.ok:
            return redirect(url_for("console.rectification_detail", order_id=order.id))
    communities = org.search_communities(actor, "", 1, 200).items
    return render_template("console/rectifications/new.html", communities=communities,
                           areas=AREAS, form=request.form), 200 if request.method == "GET" else 422


@bp.route("/rectifications/<id:order_id>")
@staff_required("committee", "street", "district", "city")
def rectification_detail(order_id, actor):
    order = rectifications.get_for(actor, order_id)
    actions = [a for (s, a), move in rectifications.MOVES.items()
               if s == order.status and move.by == actor.staff.role]
    events = [{"event": e, "photos": photo_links(actor, e.photos)} for e in order.events]
    return render_template("console/rectifications/detail.html", order=order, events=events,
                           actions=actions, statuses=STATUSES, action_words=ACTIONS,
                           event_words=EVENT_WORDS,
                           overdue=rectifications.is_overdue(order))


@bp.route("/rectifications/<id:order_id>/actions", methods=["POST"])
@staff_required("committee", "street")
def rectification_act(order_id, actor):
    action = request.form.get("action", "")
    with attempt(f"已{ACTIONS.get(action, action)}"):
        rectifications.get_for(actor, order_id)  # 404 before storing any photo
        rectifications.act(actor, order_id, action, request.form.get("note", ""),
                           uploaded_photo_ids(actor))
    return redirect(url_for("console.rectification_detail", order_id=order_id))
