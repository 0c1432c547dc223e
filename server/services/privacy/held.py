"""Everything held about the calling resident (PIPL art. 45), as one document.

Survey answers are not in it: ballots carry no link to anyone (docs/surveys.md), so they
cannot be found, shown or attributed - the document says so. Which surveys they (or their
household) took part in is personal data, and is listed. The openid is shown masked: it is
an identifier between WeChat and this app, useless to the resident and kept off screens.
"""
from sqlalchemy import or_

from server.extensions import db
from server.models import (AuditLog, AuthSession, ContentCheck, Membership, Notification, Photo,
                           Report, ReportSupport, ResidentPhone, Survey, SurveyParticipation,
                           VolunteerSupervisor)
from server.models.base import utcnow
from server.services import phone as phone_service
from server.services import photos as photo_service

BALLOTS_NOTE = ("问卷答案以匿名方式保存，与您的身份没有任何关联，因此无法查询、导出或归属到您；"
                "注销账号后这些匿名答案仍计入统计。这里列出的是您（或您家）参加过哪些问卷，"
                "用于防止重复填写。")


def masked_openid(openid):
    return openid[:4] + "****" + openid[-4:] if len(openid) > 10 else "****"


def held_data(actor):
    resident = actor.resident
    rid = resident.id
    reports = _all(db.select(Report).where(Report.reporter_id == rid).order_by(Report.id))
    memberships = _all(db.select(Membership).where(Membership.resident_id == rid)
                       .order_by(Membership.id))
    volunteers = _all(db.select(VolunteerSupervisor).where(
        VolunteerSupervisor.resident_id == rid).order_by(VolunteerSupervisor.id))
    checks = _all(db.select(ContentCheck).where(ContentCheck.author_id == rid)
                  .order_by(ContentCheck.id))
    phone = db.session.execute(db.select(ResidentPhone).filter_by(
        resident_id=rid)).scalar_one_or_none()
    return {
        "generated_at": utcnow(),
        "profile": {"id": rid, "openid": masked_openid(resident.openid),
                    "unionid_held": resident.unionid is not None,
                    "nickname": resident.nickname or "", "created_at": resident.created_at,
                    "last_login_at": resident.last_login_at},
        "phone": ({"phone": phone_service.masked(phone.phone), "country_code": phone.country_code,
                   "consented_at": phone.consented_at} if phone else None),
        "memberships": [_membership(m) for m in memberships],
        "volunteering": [{"id": v.id, "community_id": v.community_id, "status": v.status,
                          "applied_at": v.applied_at, "decided_at": v.decided_at}
                         for v in volunteers],
        "reports": [_report(actor, r) for r in reports],
        "photos": [_photo(actor, p) for p in _all(
            db.select(Photo).where(Photo.uploader_resident_id == rid).order_by(Photo.id))],
        "supports": [{"report_id": s.report_id, "created_at": s.created_at} for s in _all(
            db.select(ReportSupport).where(ReportSupport.resident_id == rid)
            .order_by(ReportSupport.id))],
        "notifications": [_notification(n) for n in _all(
            db.select(Notification).where(Notification.resident_id == rid)
            .order_by(Notification.id))],
        "survey_participations": _participations(rid),
        "survey_answers": BALLOTS_NOTE,
        "content_checks": [{"id": c.id, "media": c.media, "subject_type": c.subject_type,
                            "status": c.status, "created_at": c.created_at} for c in checks],
        "sessions": [{"method": s.method, "created_at": s.created_at,
                      "expires_at": s.expires_at, "revoked_at": s.revoked_at,
                      "current": s.id == actor.session_id} for s in _all(
            db.select(AuthSession).where(AuthSession.resident_id == rid)
            .order_by(AuthSession.created_at))],
        "audit": _audit(memberships, volunteers, reports, checks),
    }


def _all(query):
    return db.session.execute(query).scalars().all()


def _membership(m):
    return {"id": m.id, "community_id": m.community_id, "community": m.community.name,
            "building": m.building, "unit": m.unit, "room": m.room, "status": m.status,
            "reason": m.reason, "household_id": m.household_id, "applied_at": m.applied_at,
            "decided_at": m.decided_at, "left_at": m.left_at}


def _report(actor, r):
    return {"id": r.id, "community_id": r.community_id, "category": r.category.name,
            "description": r.description, "building": r.building, "is_public": r.is_public,
            "status": r.status, "rating": r.rating, "created_at": r.created_at,
            "photos": [_photo(actor, p) for p in r.photos if p.uploader_resident_id ==
                       actor.resident.id]}


def _photo(actor, p):
    return {"id": p.id, "report_id": p.report_id, "created_at": p.created_at,
            "url": photo_service.file_url(actor, p),
            "thumb_url": photo_service.file_url(actor, p, "thumb")}


def _notification(n):
    return {"id": n.id, "kind": n.kind, "title": n.title, "body": n.body,
            "created_at": n.created_at, "read_at": n.read_at, "delivery": n.delivery}


def _participations(rid):
    rows = db.session.execute(
        db.select(SurveyParticipation.survey_id, Survey.title, SurveyParticipation.household_id,
                  SurveyParticipation.respondent_key)
        .join(Survey, Survey.id == SurveyParticipation.survey_id)
        .where(SurveyParticipation.resident_id == rid)
        .order_by(SurveyParticipation.survey_id)).all()
    return [{"survey_id": row.survey_id, "title": row.title,
             "for_household": row.respondent_key.startswith("h")} for row in rows]


def _audit(memberships, volunteers, reports, checks):
    """Staff actions on their rows: approvals of their memberships and volunteering, moves of
    their reports, reviews of what they wrote."""
    subjects = [("memberships", [m.id for m in memberships]),
                ("volunteer_supervisors", [v.id for v in volunteers]),
                ("reports", [r.id for r in reports]),
                ("content_checks", [c.id for c in checks])]
    conditions = [(AuditLog.object_type == kind) & AuditLog.object_id.in_([str(i) for i in ids])
                  for kind, ids in subjects if ids]
    if not conditions:
        return []
    rows = _all(db.select(AuditLog).where(or_(*conditions)).order_by(AuditLog.id))
    return [{"at": a.at, "action": a.action, "object_type": a.object_type,
             "object_id": a.object_id} for a in rows]
