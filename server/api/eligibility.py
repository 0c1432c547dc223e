"""Who may take each step (第十条–第十二条): a community's eligibility, its veto events, its
creation start, and the city's recorded decisions about it."""
from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.eligibility import (CreationStartIn, DecisionOut, EligibilityArgs,
                                        EligibilityOut, OpinionIn, VetoCorrectionIn, VetoEventIn,
                                        VetoEventOut, VetoWithdrawIn)
from server.schemas.scoring import ParticipationOut
from server.services import access
from server.services.scoring import city, cycle as cycles, eligibility, veto

blp = Blueprint("eligibility", __name__, url_prefix="/api/v1/communities",
                description="申报资格（第十条至第十二条）、一票否决事项、创建开始日期与市级决定记录")


@blp.route("/<id:community_id>/eligibility", methods=["GET"])
@blp.arguments(EligibilityArgs, location="query")
@blp.response(200, EligibilityOut)
@authenticated(blp, 403, 404, 422)
@requires("staff")
def get_eligibility(args, community_id, actor):
    """May the community take a step (default: its next one) today, or on `on`? If not, every
    reason with its dates and its article."""
    community = access.community_for_staff(actor.staff, community_id)
    return eligibility.answer(community, args.get("on"), args.get("stage"))


@blp.route("/<id:community_id>/veto-events", methods=["GET"])
@blp.response(200, VetoEventOut(many=True))
@authenticated(blp, 403, 404)
@requires("staff")
def list_veto_events(community_id, actor):
    """Veto events concerning the community (its own and its residential area's), withdrawn
    ones included, each with its history. Staff only."""
    community = access.community_for_staff(actor.staff, community_id)
    return veto.list_for(community)


@blp.route("/<id:community_id>/veto-events", methods=["POST"])
@blp.arguments(VetoEventIn)
@blp.response(201, VetoEventOut)
@authenticated(blp, 400, 403, 404, 415, 422)
@requires("staff", roles=("street", "district"))
def record_veto_event(body, community_id, actor):
    """Record a veto event (street or district staff). 第十条（一） bars the whole residential
    area. An application already filed that it bars stops at its next stage; the street and
    district are notified."""
    community = access.community_for_staff(actor.staff, community_id)
    return veto.record(actor, community, body["kind"], body["occurred_on"], body["note"],
                       body["evidence"])


@blp.route("/<id:community_id>/veto-events/<id:event_id>", methods=["PATCH"])
@blp.arguments(VetoCorrectionIn)
@blp.response(200, VetoEventOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff", roles=("street", "district"))
def correct_veto_event(body, community_id, event_id, actor):
    """Correct an event's kind, date or note, with a reason; the audit keeps both versions."""
    community = access.community_for_staff(actor.staff, community_id)
    return veto.correct(actor, community, event_id, body, body["reason"])


@blp.route("/<id:community_id>/veto-events/<id:event_id>/withdraw", methods=["POST"])
@blp.arguments(VetoWithdrawIn)
@blp.response(200, VetoEventOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff", roles=("street", "district"))
def withdraw_veto_event(body, community_id, event_id, actor):
    """Withdraw a wrongly recorded event, with a reason. It is kept, and bars nothing."""
    community = access.community_for_staff(actor.staff, community_id)
    return veto.withdraw(actor, community, event_id, body["reason"])


@blp.route("/<id:community_id>/creation-start", methods=["PUT"])
@blp.arguments(CreationStartIn)
@blp.response(200, ParticipationOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff", roles=("street",))
def confirm_creation_start(body, community_id, actor):
    """The street confirms when creation started, from a record (第十条: 三年的创建期); audited."""
    return cycles.confirm_creation_start(actor, community_id, body["started_on"], body["record"],
                                         body["reason"])


@blp.route("/<id:community_id>/decisions", methods=["GET"])
@blp.response(200, DecisionOut(many=True))
@authenticated(blp, 403, 404)
@requires("staff")
def list_decisions(community_id, actor):
    """The city's recorded steps for the community in the current cycle: who and when."""
    return city.decisions_for(actor, community_id)


@blp.route("/<id:community_id>/opinions", methods=["POST"])
@blp.arguments(OpinionIn)
@blp.response(201, DecisionOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff", roles=("city",))
def record_opinion(body, community_id, actor):
    """A city department's opinion on a preliminary candidate (第十一条（四））."""
    return city.record_opinion(actor, community_id, body["department"], body["opinion"],
                               body["note"])
