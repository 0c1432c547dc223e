"""City-wide creation cycles, district quotas and the district's selection."""
from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.eligibility import CityListIn, CityRankingOut
from server.schemas.scoring import (CandidateArgs, CandidatesOut, CycleIn, CycleOut, QuotasIn,
                                    SelectionIn)
from server.services.scoring import city, cycle as cycles, selection

blp = Blueprint("cycles", __name__, url_prefix="/api/v1/cycles",
                description="创建周期（三年一轮）、区级和全市名额、区级择优申报与市级名单")


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
# Every field is optional, so a missing body reads as {}; the document says so.
@blp.arguments(QuotasIn, required=False)
@blp.response(200, CycleOut)
@authenticated(blp, 400, 403, 404, 415, 422)
@requires("staff", roles=("city",))
def set_quotas(body, cycle_id, actor):
    """Each district's quota (名额, 第十一条（二）) and the city's (第十一条（三）) for the cycle
    (city office only)."""
    return cycles.set_quotas(actor, cycle_id, body["quotas"], body["city_quota"])


@blp.route("/<id:cycle_id>/candidates", methods=["GET"])
@blp.arguments(CandidateArgs, location="query")
@blp.response(200, CandidatesOut)
@authenticated(blp, 403, 404, 422)
@requires("staff", roles=("district", "city"))
def list_candidates(args, cycle_id, actor):
    """A district's applicants ranked by score, with its quota; ties are explained."""
    return selection.candidates(actor, cycle_id, args.get("district_id"))


@blp.route("/<id:cycle_id>/selection", methods=["POST"])
@blp.arguments(SelectionIn)
@blp.response(200, CandidatesOut)
@authenticated(blp, 400, 403, 404, 415, 422)
@requires("staff", roles=("district",))
def select(body, cycle_id, actor):
    """The district submits its best applicants within its quota (择优申报)."""
    return selection.select(actor, cycle_id, body["community_ids"])


@blp.route("/<id:cycle_id>/city-ranking", methods=["GET"])
@blp.response(200, CityRankingOut)
@authenticated(blp, 403, 404)
@requires("staff", roles=("city",))
def city_ranking(cycle_id, actor):
    """Communities the city assessed, ranked by city score with ties shown, each with its
    stage, its eligibility for its next step and the city's decisions; the city quota."""
    return city.ranking(actor, cycle_id)


@blp.route("/<id:cycle_id>/city-lists", methods=["POST"])
@blp.arguments(CityListIn)
@blp.response(200, CityRankingOut)
@authenticated(blp, 400, 403, 404, 415, 422)
@requires("staff", roles=("city",))
def city_list(body, cycle_id, actor):
    """Record a city list: the preliminary list within the city quota, best first
    (第十一条（三）), the formal candidate list or the city committee's approval (第十一条（五））."""
    return city.decide_list(actor, cycle_id, body["step"], body["community_ids"], body["note"])
