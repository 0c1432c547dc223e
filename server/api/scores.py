"""A community's evaluation: score, status, entered indicators and its stage in the cycle
(eligibility, veto events and the city's decisions: api/eligibility.py)."""
from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.scoring import (EntryOut, EntryReviewIn, ParticipationOut, ScoreArgs,
                                    ScoresOut, SelfAssessmentIn, StageIn, StatusOut)
from server.services import access
from server.services.scoring import compute, cycle as cycles, entries, status

blp = Blueprint("scores", __name__, url_prefix="/api/v1/communities",
                description="测评得分、填报指标、创建阶段与居民可见的小区状态")


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


@blp.route("/<id:community_id>/status", methods=["GET"])
@blp.response(200, StatusOut)
@authenticated(blp, 404)
@requires()
def get_status(community_id, actor):
    """What residents see of their community's creation: title, cycle, stage, the parts of the
    score that come from them, reports, rectifications, the latest survey. Cached briefly."""
    return status.get(actor, community_id)


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
    return cycles.move(actor, community_id, body["action"], body["score"], body["note"])
