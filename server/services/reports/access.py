"""Who sees which report. Staff see the reports of communities in their scope; a resident sees
their own reports and the public ones of the community they are an approved member of (once
its text passed the content check, and unless it was rejected). Anything else is a 404."""
from sqlalchemy import and_, or_

from server.errors import Forbidden, NotFound
from server.extensions import db
from server.models import Community, ContentCheck, Membership, Report
from server.models.content_check import PUBLIC_STATES
from server.services import access

HIDDEN_FROM_OTHERS = ("rejected",)


def approved_community_id(resident):
    return db.session.execute(db.select(Membership.community_id).where(
        Membership.resident_id == resident.id, Membership.status == "approved")
    ).scalar_one_or_none()


def require_member(resident):
    community_id = approved_community_id(resident)
    if community_id is None:
        raise Forbidden("请先加入小区并通过居委会审核", slug="membership_required")
    return community_id


def resident_sees(resident, report):
    if report.reporter_id == resident.id:
        return True
    return (report.is_public and report.status not in HIDDEN_FROM_OTHERS
            and report.publicly_visible
            and approved_community_id(resident) == report.community_id)


def visible_condition(actor):
    """A SQL condition on Report (joined with Community) for what the caller may see."""
    if actor.is_staff:
        return access.community_filter(actor.staff)
    community_id = approved_community_id(actor.resident)
    mine = Report.reporter_id == actor.resident.id
    if community_id is None:
        return mine
    checked = or_(Report.content_check_id.is_(None), Report.content_check_id.in_(
        db.select(ContentCheck.id).where(ContentCheck.status.in_(PUBLIC_STATES))))
    return or_(mine, and_(Report.community_id == community_id, Report.is_public,
                          Report.status.not_in(HIDDEN_FROM_OTHERS), checked))


def get_for(actor, report_id):
    report = db.session.get(Report, report_id)
    if report is None or not may_see(actor, report):
        raise NotFound("未找到该反映", slug="report_not_found")
    return report


def may_see(actor, report):
    if actor.is_staff:
        return access.staff_sees_community(actor.staff, report.community)
    return resident_sees(actor.resident, report)


def scoped_select(actor):
    return db.select(Report).join(Community, Community.id == Report.community_id).where(
        visible_condition(actor))


def communities_by_id(ids):
    if not ids:
        return {}
    return {c.id: c for c in db.session.execute(
        db.select(Community).where(Community.id.in_(ids))).scalars()}
