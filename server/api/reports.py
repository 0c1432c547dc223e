from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.api.report_views import board_view, report_view
from server.auth import requires
from server.schemas.report import (ActionIn, BoardPage, CategoryList, FiguresArgs, FiguresOut,
                                   OverviewOut, PeriodArgs, RatingIn, ReportArgs, ReportIn,
                                   ReportOut, ReportPage, SimilarArgs, SimilarOut)
from server.schemas.common import IdempotencyHeader, PageArgs
from server.services import access, ratelimit
from server.services.reports import access as report_access
from server.services.reports import categories, figures, filing, supervision, workflow

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports",
                description="居民反映问题（群众监督）：提交、办理、评价、督办与统计")


def _page(actor, page, view=report_view):
    page.items = [view(actor, r) for r in page.items]
    return page


@blp.route("/categories", methods=["GET"])
@blp.response(200, CategoryList)
@authenticated(blp)
@requires()
def list_categories(actor):
    """The report categories, with their standard area, time limits and whether they are
    public; an emergency category only tells the resident to call 110/119."""
    return {"items": categories.list_categories()}


@blp.route("/similar", methods=["GET"])
@blp.arguments(SimilarArgs, location="query")
@blp.response(200, SimilarOut)
@authenticated(blp, 403, 422)
@requires("resident")
def similar(args, actor):
    """Open reports of this category at this building or within 100 m, offered before filing:
    add "me too" (`/support`) instead of filing a duplicate."""
    rows = filing.similar(actor, args["category_id"], args["building"], args["latitude"],
                          args["longitude"])
    return {"items": [report_view(actor, r) for r in rows]}


@blp.route("", methods=["POST"])
@blp.arguments(IdempotencyHeader, location="headers")
@blp.arguments(ReportIn)
@blp.response(201, ReportOut)
@authenticated(blp, 400, 403, 409, 415, 422, 429)
@requires("resident")
def create(headers, body, actor):
    """File a report (an approved resident of a community): category, description, up to 9
    photos uploaded first, the building or a point on the map, public or not. A retry with
    the same Idempotency-Key returns the first report and files nothing; the same key with a
    different report is 409. Rate limited per resident and per address (429); a retry of a
    report already filed is neither counted nor refused."""
    key = headers.get("idempotency_key")
    if filing.replay(actor, body, key) is None:
        ratelimit.limit_actor("report", actor)
    report = filing.create(actor, body, key)
    return report_view(actor, report, detail=True)


@blp.route("", methods=["GET"])
@blp.arguments(ReportArgs, location="query")
@blp.response(200, ReportPage)
@authenticated(blp, 422)
@requires()
def list_reports(args, actor):
    """Residents: their own (`mine=true`) and their community's public reports. Staff: the
    reports in their scope; `overdue`, `reworked` and `street_id` narrow the street's view."""
    return _page(actor, filing.list_for(actor, args))


@blp.route("/board", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, BoardPage)
@authenticated(blp, 403, 422)
@requires("resident")
def board(args, actor):
    """The public board: resolved public reports of my community, without names."""
    return _page(actor, filing.board(actor, args["page"], args["per_page"]), board_view)


@blp.route("/figures", methods=["GET"])
@blp.arguments(FiguresArgs, location="query")
@blp.response(200, FiguresOut)
@authenticated(blp, 403, 404, 422)
@requires("staff")
def community_figures(args, actor):
    """Figures per community in my scope for a period (by filing date), each with its
    definition; `community_id` for one community."""
    since, until = _period(args)
    if args.get("community_id"):
        community = access.community_for_staff(actor.staff, args["community_id"])
        rows = {community.id: figures.community_figures(community.id, since, until)}
        names = {community.id: community}
    else:
        rows = figures.grouped(access.community_filter(actor.staff), since, until)
        names = report_access.communities_by_id(list(rows))
    items = [{"community": names[cid], "reports": f.reports, "figures": f.as_dict()}
             for cid, f in sorted(rows.items())]
    return {"since": since, "until": until, "items": items}


@blp.route("/overview", methods=["GET"])
@blp.arguments(PeriodArgs, location="query")
@blp.response(200, OverviewOut)
@authenticated(blp, 403, 422)
@requires("staff", roles=("street", "district", "city"))
def overview(args, actor):
    """Supervision: every committee under my street (or district): open, overdue and reworked
    reports, pending extensions, and its figures for the period."""
    since, until = _period(args)
    return supervision.overview(actor, since, until)


def _period(args):
    # A period that ends before it starts is simply empty: every figure has no denominator.
    return args["since"], args["until"]


@blp.route("/<id:report_id>", methods=["GET"])
@blp.response(200, ReportOut)
@authenticated(blp, 404)
@requires()
def get_report(report_id, actor):
    """One report with its timeline (who, when, note, photos)."""
    return report_view(actor, report_access.get_for(actor, report_id), detail=True)


@blp.route("/<id:report_id>/actions", methods=["POST"])
@blp.arguments(ActionIn)
@blp.response(200, ReportOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff")
def act(body, report_id, actor):
    """A move in the handling state machine (see allowed_actions on the report): accept,
    reject (note), merge (merged_into_id), contact, assign (handler_kind, handler_name), refer
    (referral_ref), resolve (note and at least one after-photo in photo_ids: a report is not
    resolved without a photo of the result), request_extension (days, note) by the
    committee; approve_extension / reject_extension by the street."""
    report, _ = workflow.act(actor, report_id, body["action"], body)
    return report_view(actor, report, detail=True)


@blp.route("/<id:report_id>/rating", methods=["POST"])
@blp.arguments(RatingIn)
@blp.response(200, ReportOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("resident")
def rate(body, report_id, actor):
    """The reporter rates a resolved report: 不满意 reopens it once as rework."""
    report = workflow.rate(actor, report_id, body["rating"], body["note"])
    return report_view(actor, report, detail=True)


@blp.route("/<id:report_id>/support", methods=["POST"])
@blp.response(200, ReportOut)
@authenticated(blp, 403, 404, 409, 429)
@requires("resident")
def support(report_id, actor):
    """"Me too": follow an open report of my community instead of filing a duplicate (rate
    limited per resident and per address: 429)."""
    ratelimit.limit_actor("support", actor)
    return report_view(actor, filing.support(actor, report_id))
