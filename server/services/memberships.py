"""A resident joins a community; its committee approves or rejects."""
from sqlalchemy.exc import IntegrityError

from server.errors import Conflict, Forbidden, NotFound
from server.extensions import db
from server.models import Community, Household, Membership
from server.models.base import utcnow
from server.services import access, audit, households, notifications
from server.services.pagination import paginate

LIVE = ("pending", "approved")


def apply(actor, community_id, building, unit, room):
    community = db.session.get(Community, community_id)
    if community is None:
        raise NotFound("未找到该小区", slug="community_not_found")
    if _live_membership(actor.resident.id) is not None:
        raise _exists()
    household = households.find_household(community.id, building, unit, room)
    membership = Membership(resident=actor.resident, community=community,
                            building=building.strip(), unit=unit.strip(), room=room.strip(),
                            household=household, status="pending")
    db.session.add(membership)
    try:
        db.session.commit()
    except IntegrityError:
        # The partial unique index caught a second application sent at the same moment.
        db.session.rollback()
        raise _exists() from None
    return membership


def _exists():
    return Conflict("您已有一个审核中或已通过的小区申请，如需更换请先退出当前小区",
                    slug="membership_exists")


def _live_membership(resident_id):
    return db.session.execute(db.select(Membership).where(
        Membership.resident_id == resident_id, Membership.status.in_(LIVE))).scalar_one_or_none()


def list_for(actor, status, community_id, page, per_page):
    query = db.select(Membership).order_by(Membership.applied_at.desc(), Membership.id.desc())
    if actor.is_staff:
        query = query.join(Community).where(access.community_filter(actor.staff))
    else:
        query = query.where(Membership.resident_id == actor.resident.id)
    if status:
        query = query.where(Membership.status == status)
    if community_id:
        query = query.where(Membership.community_id == community_id)
    return paginate(query, page, per_page)


def get_for(actor, membership_id):
    membership = db.session.get(Membership, membership_id)
    if membership is None or not _may_see(actor, membership):
        raise NotFound("未找到该申请", slug="membership_not_found")
    return membership


def _may_see(actor, membership):
    if actor.is_staff:
        return access.staff_sees_community(actor.staff, membership.community)
    return membership.resident_id == actor.resident.id


def _decider(actor, membership_id):
    """The membership, if the caller is its community's committee and not its applicant."""
    # The role before the lookup: other levels get 403 whatever the membership.
    if actor.staff.role != "committee":
        raise Forbidden("入住申请由小区所属居委会审核", slug="committee_only")
    membership = get_for(actor, membership_id)
    openid = actor.staff.wechat_openid
    if openid is not None and membership.resident.openid == openid:
        # The same WeChat account behind the staff account and the resident account.
        raise Forbidden("不能审核自己的入住申请，请由居委会其他工作人员处理",
                        slug="own_membership")
    return membership


def decide(actor, membership_id, approve, reason=""):
    membership = _decider(actor, membership_id)
    if membership.status != "pending":
        raise Conflict("该申请已处理", slug="membership_not_pending",
                       details={"status": membership.status})
    before = _snapshot(membership)
    membership.status = "approved" if approve else "rejected"
    membership.reason = "" if approve else reason
    membership.decided_by_id = actor.staff.id
    membership.decided_at = utcnow()
    audit.record(actor, "membership.approve" if approve else "membership.reject", membership,
                 before, _snapshot(membership))
    # The resident is told in the same transaction: the inbox row and its outbox row commit
    # with the decision or not at all.
    notifications.membership_decided(membership)
    db.session.commit()
    return membership


def revoke(actor, membership_id, reason):
    """End an approved residency (a wrong approval, a resident who moved out): audited, and
    the resident is told why in the same transaction."""
    membership = _decider(actor, membership_id)
    if membership.status != "approved":
        raise Conflict("只能撤销已通过的入住申请", slug="membership_not_approved",
                       details={"status": membership.status})
    before = _snapshot(membership)
    membership.status = "revoked"
    membership.reason = reason
    membership.left_at = utcnow()
    audit.record(actor, "membership.revoke", membership, before, _snapshot(membership))
    notifications.membership_decided(membership)
    db.session.commit()
    return membership


def leave(actor, membership_id):
    membership = get_for(actor, membership_id)
    if actor.is_staff:
        raise Forbidden()
    if membership.status not in LIVE:
        raise Conflict("该申请已结束", slug="membership_not_live",
                       details={"status": membership.status})
    membership.status = "left"
    membership.left_at = utcnow()
    db.session.commit()
    return membership


def household_match(membership):
    """What the approver sees about the register: the matched dwelling, if any, and how many
    approved residents already live there."""
    household = membership.household or households.find_household(
        membership.community_id, membership.building, membership.unit, membership.room)
    if household is None:
        register_size = db.session.execute(db.select(db.func.count(Household.id)).filter_by(
            community_id=membership.community_id)).scalar_one()
        return {"matched": False, "household_id": None, "approved_members": 0,
                "register_size": register_size}
    approved = db.session.execute(db.select(db.func.count(Membership.id)).where(
        Membership.household_id == household.id, Membership.status == "approved",
        Membership.id != membership.id)).scalar_one()
    return {"matched": True, "household_id": household.id, "approved_members": approved,
            "register_size": None}


def _snapshot(membership):
    return {"status": membership.status, "reason": membership.reason,
            "community_id": membership.community_id, "building": membership.building,
            "unit": membership.unit, "room": membership.room}
