"""Residents who volunteer as supervisors of their community's field inspections."""
from sqlalchemy.exc import IntegrityError

from server.errors import Conflict, Forbidden, NotFound
from server.extensions import db
from server.models import Community, VolunteerSupervisor
from server.models.base import utcnow
from server.services import access, audit
from server.services.pagination import paginate
from server.services.reports import access as report_access

LIVE = ("pending", "approved")


def apply(actor):
    """Volunteer for one's own community (an approved member). One live application."""
    community_id = report_access.require_member(actor.resident)
    if current(actor.resident) is not None:
        raise Conflict("您已申请或已是志愿监督员", slug="volunteer_exists")
    volunteer = VolunteerSupervisor(resident_id=actor.resident.id, community_id=community_id,
                                    status="pending", applied_at=utcnow())
    db.session.add(volunteer)
    try:
        db.session.commit()
    except IntegrityError:  # a second tap raced the first
        db.session.rollback()
        raise Conflict("您已申请或已是志愿监督员", slug="volunteer_exists") from None
    return volunteer


def current(resident):
    return db.session.execute(db.select(VolunteerSupervisor).where(
        VolunteerSupervisor.resident_id == resident.id,
        VolunteerSupervisor.status.in_(LIVE))).scalar_one_or_none()


def list_for(actor, status, page, per_page):
    query = (db.select(VolunteerSupervisor)
             .join(Community, Community.id == VolunteerSupervisor.community_id)
             .where(access.community_filter(actor.staff))
             .order_by(VolunteerSupervisor.id.desc()))
    if status:
        query = query.where(VolunteerSupervisor.status == status)
    return paginate(query, page, per_page)


def get_for_staff(actor, volunteer_id):
    volunteer = db.session.get(VolunteerSupervisor, volunteer_id)
    if volunteer is None or not access.staff_sees_community(actor.staff, volunteer.community):
        raise NotFound("未找到该志愿监督员", slug="volunteer_not_found")
    return volunteer


def decide(actor, volunteer_id, approve, reason=""):
    # The role before the lookup: other levels get 403 whatever the volunteer.
    if actor.staff.role != "committee":
        raise Forbidden("志愿监督员由小区所属居委会审核", slug="committee_only")
    volunteer = get_for_staff(actor, volunteer_id)
    if volunteer.status != "pending":
        raise Conflict("该申请已处理", slug="volunteer_not_pending",
                       details={"status": volunteer.status})
    before = {"status": volunteer.status}
    volunteer.status = "approved" if approve else "rejected"
    volunteer.reason = "" if approve else reason
    volunteer.decided_by_id, volunteer.decided_at = actor.staff.id, utcnow()
    audit.record(actor, f"volunteer.{'approve' if approve else 'reject'}", volunteer, before,
                 {"status": volunteer.status, "reason": volunteer.reason})
    db.session.commit()
    return volunteer
