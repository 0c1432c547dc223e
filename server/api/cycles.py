"""City-wide creation cycles, district quotas and the district's selection."""
from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.scoring import (CandidateArgs, CandidatesOut, CycleIn, CycleOut, QuotasIn,
                                    SelectionIn)
from server.services.scoring import cycle as cycles

blp = Blueprint("cycles", __name__, url_prefix="/api/v1/cycles",
                description="创建周期（三年一轮）、区级名额与择优申报")


@blp.route("", methods=["GET"])
@blp.response(200, CycleOut(many=True))
@authenticated(blp, 403)
@requires("staff")
def list_cycles(actor):
    return cycles.list_cycles()


@blp.route("", methods=["POST"])
@blp.arguments(CycleIn)
@blp.response(201, CycleOut)
@authenticated(blp, 400, 403, 409, 415, 422)
@requires("staff", roles=("city",))
def create_cycle(body, actor):
    """A three-year cycle (city office only); cycles never overlap."""
    return cycles.create_cycle(actor, body["start_year"], body.get("name"),
                               body.get("framework_version"))


@blp.route("/<id:cycle_id>/quotas", methods=["PUT"])
@blp.arguments(QuotasIn)
@blp.response(200, CycleOut)
@authenticated(blp, 400, 403, 404, 415, 422)
@requires("staff", roles=("city",))
def set_quotas(body, cycle_id, actor):
    """Each district's quota (名额) for the cycle (city office only)."""
    return cycles.set_quotas(actor, cycle_id, body["quotas"])


@blp.route("/<id:cycle_id>/candidates", methods=["GET"])
@blp.arguments(CandidateArgs, location="query")
@blp.response(200, CandidatesOut)
@authenticated(blp, 403, 404, 422)
@requires("staff", roles=("district", "city"))
def list_candidates(args, cycle_id, actor):
    """A district's applicants ranked by score, with its quota; ties are explained."""
    return cycles.candidates(actor, cycle_id, args.get("district_id"))


@blp.route("/<id:cycle_id>/selection", methods=["POST"])
@blp.arguments(SelectionIn)
@blp.response(200, CandidatesOut)
@authenticated(blp, 400, 403, 404, 415, 422)
@requires("staff", roles=("district",))
def select(body, cycle_id, actor):
    """The district submits its best applicants within its quota (择优申报)."""
    return cycles.select(actor, cycle_id, body["community_ids"])
