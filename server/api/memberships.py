from flask_smorest import Blueprint

from server.api.docs import authenticated
from server.auth import requires
from server.schemas.membership import (MembershipArgs, MembershipIn, MembershipOut,
                                       MembershipPage, RejectIn)
from server.services import memberships

blp = Blueprint("memberships", __name__, url_prefix="/api/v1/memberships",
                description="居民加入小区的申请与审核")


class _ApproverView:
    """A membership plus how its address matches the household register, which only the
    approver sees."""

    def __init__(self, membership):
        self._membership = membership
        self.household_match = memberships.household_match(membership)

    def __getattr__(self, name):
        return getattr(self._membership, name)


def _view(actor, membership):
    return _ApproverView(membership) if actor.is_staff else membership


@blp.route("", methods=["POST"])
@blp.arguments(MembershipIn)
@blp.response(201, MembershipOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("resident")
def apply(body, actor):
    """Apply to join a community with building, unit and room; the committee decides."""
    return memberships.apply(actor, body["community_id"], body["building"], body["unit"],
                             body["room"])


@blp.route("", methods=["GET"])
@blp.arguments(MembershipArgs, location="query")
@blp.response(200, MembershipPage)
@authenticated(blp, 422)
@requires()
def list_memberships(args, actor):
    """A resident's own applications, or (staff) the applications in their scope, each with
    its match against the household register."""
    page = memberships.list_for(actor, args.get("status"), args.get("community_id"),
                                args["page"], args["per_page"])
    page.items = [_view(actor, m) for m in page.items]
    return page


@blp.route("/<id:membership_id>", methods=["GET"])
@blp.response(200, MembershipOut)
@authenticated(blp, 404)
@requires()
def get_membership(membership_id, actor):
    return _view(actor, memberships.get_for(actor, membership_id))


@blp.route("/<id:membership_id>/approve", methods=["POST"])
@blp.response(200, MembershipOut)
@authenticated(blp, 403, 404, 409)
@requires("staff")
def approve(membership_id, actor):
    """Approve a pending application (the community's committee only)."""
    return _view(actor, memberships.decide(actor, membership_id, approve=True))


@blp.route("/<id:membership_id>/reject", methods=["POST"])
@blp.arguments(RejectIn)
@blp.response(200, MembershipOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff")
def reject(body, membership_id, actor):
    """Reject a pending application with a reason the resident will see."""
    return _view(actor, memberships.decide(actor, membership_id, approve=False,
                                           reason=body["reason"]))


@blp.route("/<id:membership_id>/revoke", methods=["POST"])
@blp.arguments(RejectIn)
@blp.response(200, MembershipOut)
@authenticated(blp, 400, 403, 404, 409, 415, 422)
@requires("staff")
def revoke(body, membership_id, actor):
    """Revoke an approved residency (the community's committee), with a reason the resident
    is told."""
    return _view(actor, memberships.revoke(actor, membership_id, body["reason"]))


@blp.route("/<id:membership_id>/leave", methods=["POST"])
@blp.response(200, MembershipOut)
@authenticated(blp, 403, 404, 409)
@requires("resident")
def leave(membership_id, actor):
    """Leave a community (or withdraw a pending application)."""
    return memberships.leave(actor, membership_id)
