"""A community's evaluation: score, eligibility, status, veto events, entered indicators and
its stage in the cycle."""
from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.scoring import (EligibilityArgs, EligibilityOut, EntryOut, ParticipationOut,
                                    EntryReviewIn, ScoreArgs, ScoresOut, SelfAssessmentIn, StageIn,
                                    StatusOut, VetoEventIn, VetoEventOut)
from server.services import access
from server.services.scoring import compute, cycle as cycles, eligibility, entries, status

blp = Blueprint("scores", __name__, url_prefix="/api/v1/communities",
                description="测评得分、申报资格、创建阶段与居民可见的小区状态")


@blp.route("/<id:community_id>/scores", methods=["GET"])
@blp.arguments(ScoreArgs, location="query")
@blp.response(200, ScoresOut)
@authenticated(blp, 403, 404, 422)
@requires("staff")
def get_scores(args, community_id, actor):
    """The score in a cycle (default: the current one) with every indicator's value, points
    and source, area subtotals, the gap to 95, and the history of recomputes."""
    community = access.community_for_staff(actor.staff, community_id)
    return compute.scores(community, args.get("cycle_id"), args.get("at"))


@blp.route("/<id:community_id>/eligibility", methods=["GET"])
@blp.arguments(EligibilityArgs, location="query")
@blp.response(200, EligibilityOut)
@authenticated(blp, 403, 404, 422)
@requires("staff")
def get_eligibility(args, community_id, actor):
    """May the community apply (today, or on `on`)? If not, every reason with its date."""
    community = access.community_for_staff(actor.staff, community_id)
    return eligibility.check(community, args.get("on"))


@blp.route("/<id:community_id>/status", methods=["GET"])
@blp.response(200, StatusOut)
@authenticated(blp, 404)
@requires()
def get_status(community_id, actor):
    """What residents see of their community's creation: title, cycle, stage, the parts of the
    score that come from them, reports, rectifications, the latest survey. Cached briefly."""
    return status.get(actor, community_id)


@blp.route("/<id:community_id>/veto-events", methods=["GET"])
@blp.response(200, VetoEventOut(many=True))
@authenticated(blp, 403, 404)
@requires("staff")
def list_veto_events(community_id, actor):
    """The community's veto events (第十条), for staff only."""
    community = access.community_for_staff(actor.staff, community_id)
    return eligibility.veto_events(community.id)


@blp.route("/<id:community_id>/veto-events", methods=["POST"])
@blp.arguments(VetoEventIn)
@blp.response(201, VetoEventOut)
@authenticated(blp, 400, 403, 404, 415, 422)
@requires("staff", roles=("street", "district"))
def record_veto_event(body, community_id, actor):
    """Record a veto event (street or district staff); it bars new applications for 12 months."""
    community = access.community_for_staff(actor.staff, community_id)
    return eligibility.record_veto(actor, community, body["kind"], body["occurred_on"],
                                   body["note"], body["evidence"])


@blp.route("/<id:community_id>/entries", methods=["GET"])
@blp.response(200, EntryOut(many=True))
@authenticated(blp, 403, 404)
@requires("staff")
def list_entries(community_id, actor):
    """Entered indicators of the current cycle: self-assessment and reviews."""
    return entries.list_entries(actor, community_id)


@blp.route("/<id:community_id>/entries/<string:code>", methods=["PUT"])
@blp.arguments(SelfAssessmentIn)
@blp.response(200, EntryOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff", roles=("committee",))
def self_assess(body, community_id, code, actor):
    """The committee's self-assessment of a field-inspection or material-review indicator."""
    return entries.self_assess(actor, community_id, code, body["value"], body["note"],
                               body["evidence"])


@blp.route("/<id:community_id>/entries/<string:code>/review", methods=["POST"])
@blp.arguments(EntryReviewIn)
@blp.response(200, EntryOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff", roles=("street", "district"))
def review_entry(body, community_id, code, actor):
    """The street's or district's review: agree, or change with a reason."""
    return entries.review(actor, community_id, code, body["decision"], body["value"],
                          body["reason"])


@blp.route("/<id:community_id>/stage", methods=["POST"])
@blp.arguments(StageIn)
@blp.response(200, ParticipationOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff")
def move_stage(body, community_id, actor):
    """Move the community to its next stage in the current cycle; each move by its level."""
    return cycles.move(actor, community_id, body["action"], body["creation_started_on"],
                       body["score"], body["note"])
