"""Filing a report, the similar open reports offered before filing, "me too", the lists, and
the public board of resolved reports."""
import hashlib
import math

from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError

from server.errors import Conflict, Invalid
from server.extensions import db
from server.models import Community, Report, ReportCategory, ReportSupport
from server.models.base import utcnow
from server.services import (content_checks, households, photos as photo_service,
                             staff_notifications)
from server.services.pagination import paginate
from server.services.reports import access as report_access
from server.services.reports import sla, timeline

NEARBY_METRES = 100
# A degree of latitude is ~111 km everywhere; of longitude ~94 km at Shanghai's 31°N. The box
# lets the database narrow candidates; the exact distance is checked afterwards.
_LAT_DEG = NEARBY_METRES / 111_000
_LNG_DEG = NEARBY_METRES / 94_000
CLOSED_FOR_OTHERS = ("rejected", "merged")


def _category(category_id):
    category = db.session.get(ReportCategory, category_id)
    if category is None or not category.active:
        raise Invalid("请选择问题类别", details={"fields": {"category_id": ["无效的类别"]}})
    if category.emergency:
        raise Invalid("紧急情况请立即拨打 110（报警）或 119（火警），不要在此提交",
                      slug="emergency_call_110_119", details={"call": ["110", "119"]})
    return category


def _where(building, latitude, longitude):
    if not (building or "").strip() and (latitude is None or longitude is None):
        raise Invalid("请填写楼号或在地图上选择位置",
                      details={"fields": {"building": ["楼号或地图位置至少填一项"]}})


def replay(actor, body, idempotency_key):
    """The report already filed with this Idempotency-Key (a phone's retry), None when the key
    is new or absent; 409 when the key was used for a different report. Writes nothing."""
    key_hash = _key_hash(actor.resident, idempotency_key)
    first = _filed_with(actor.resident, key_hash) if key_hash is not None else None
    return _replay_or_conflict(first, body) if first is not None else None


def create(actor, body, idempotency_key=None):
    """File a report; a retry with the same Idempotency-Key returns the first report and
    writes nothing. The unique (reporter, key hash) constraint holds when retries race."""
    community_id = report_access.require_member(actor.resident)
    key_hash = _key_hash(actor.resident, idempotency_key)
    if key_hash is not None:
        first = _filed_with(actor.resident, key_hash)
        if first is not None:
            return _replay_or_conflict(first, body)
    category = _category(body["category_id"])
    _where(body.get("building"), body.get("latitude"), body.get("longitude"))
    photos = photo_service.claim(actor, body.get("photo_ids") or [])
    building = (body.get("building") or "").strip()
    report = Report(community_id=community_id, category=category, reporter=actor.resident,
                    description=body["description"].strip(), building=building,
                    building_key=households.normalise("building", building),
                    latitude=body.get("latitude"), longitude=body.get("longitude"),
                    # A category that is never public (noise, high throws) stays private.
                    is_public=bool(body.get("is_public", True)) and category.public,
                    status="submitted", created_at=utcnow(), idempotency_hash=key_hash)
    report.updated_at = report.created_at
    try:
        db.session.add(report)
        db.session.flush()
        sla.set_deadlines(report)
        report.content_check = content_checks.submit_text(
            actor.resident, report.description, "report", report.id,
            community=report.community)
        for photo in photos:
            photo.report_id = report.id
        timeline.record(report, actor, "submit", "", "submitted")
        staff_notifications.report_filed(report)
        db.session.commit()
    except IntegrityError:
        # A concurrent retry with the same key committed first (caught at a flush or at the
        # commit): answer with its report.
        db.session.rollback()
        first = _filed_with(actor.resident, key_hash) if key_hash is not None else None
        if first is None:
            raise
        return _replay_or_conflict(first, body)
    return report


def create_for_partner(partner, community, body):
    """File a report sent by a partner system (Open311): the same category rules, location
    rule and deadlines as a resident's report. There is no resident to notify or to rate it,
    so a resolved report closes itself after the rating period; the text comes from an
    official system and is not sent to WeChat's content check (which needs a resident)."""
    category = _category(body["category_id"])
    _where(body.get("building"), body.get("latitude"), body.get("longitude"))
    building = (body.get("building") or "").strip()
    report = Report(community_id=community.id, category=category, partner=partner,
                    partner_token=body["token"], description=body["description"].strip(),
                    building=building, building_key=households.normalise("building", building),
                    latitude=body.get("latitude"), longitude=body.get("longitude"),
                    is_public=category.public, status="submitted", created_at=utcnow())
    report.updated_at = report.created_at
    db.session.add(report)
    db.session.flush()
    sla.set_deadlines(report)
    timeline.record(report, partner, "submit", "", "submitted",
                    data={"partner": partner.name})
    db.session.commit()
    return report


def _key_hash(resident, idempotency_key):
    if not idempotency_key:
        return None
    return hashlib.sha256(f"report:{resident.id}:{idempotency_key}".encode()).hexdigest()


def _filed_with(resident, key_hash):
    return db.session.execute(db.select(Report).filter_by(
        reporter_id=resident.id, idempotency_hash=key_hash)).scalar_one_or_none()


def _replay_or_conflict(report, body):
    """The first report when the retry asks for the same thing; 409 when the key is reused for
    a different report. Compared with what filing stored (these fields never change later)."""
    building = (body.get("building") or "").strip()
    photo_ids = sorted(p.id for p in report.photos if p.event_id is None)
    same = (report.category_id == body["category_id"]
            and report.description == body["description"].strip()
            and report.building == building
            and report.latitude == body.get("latitude")
            and report.longitude == body.get("longitude")
            and report.is_public == (bool(body.get("is_public", True))
                                     and report.category.public)
            and photo_ids == sorted(set(body.get("photo_ids") or [])))
    if not same:
        raise Conflict("这个 Idempotency-Key 已用于另一条反映", slug="idempotency_key_reused")
    return report


def similar(actor, category_id, building="", latitude=None, longitude=None):
    """Open reports the resident may see, of this category at this building or within 100 m,
    most supported first: offered before filing, so "me too" can replace a duplicate."""
    community_id = report_access.require_member(actor.resident)
    key = households.normalise("building", building)
    near = []
    if key:
        near.append(Report.building_key == key)
    if latitude is not None and longitude is not None:
        near.append(and_(Report.latitude.between(latitude - _LAT_DEG, latitude + _LAT_DEG),
                         Report.longitude.between(longitude - _LNG_DEG, longitude + _LNG_DEG)))
    if not near:
        return []
    rows = db.session.execute(
        report_access.scoped_select(actor).where(
            Report.community_id == community_id, Report.category_id == category_id,
            Report.closed_at.is_(None), Report.status.not_in(CLOSED_FOR_OTHERS), or_(*near))
        .order_by(Report.support_count.desc(), Report.created_at.desc()).limit(50)
    ).scalars().all()
    return [r for r in rows if (key and r.building_key == key)
            or _within(r, latitude, longitude)][:10]


def _within(report, latitude, longitude):
    if None in (report.latitude, report.longitude, latitude, longitude):
        return False
    return distance_m(report.latitude, report.longitude, latitude, longitude) <= NEARBY_METRES


def distance_m(lat1, lng1, lat2, lng2):
    """Haversine distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def support(actor, report_id):
    """"Me too" on an open report of one's community. Repeating it changes nothing."""
    report = report_access.get_for(actor, report_id)
    if report.reporter_id == actor.resident.id:
        raise Conflict("这是您自己的反映", slug="own_report")
    if report.closed_at is not None or report.status in CLOSED_FOR_OTHERS:
        raise Conflict("该反映已结束，不能再附议", slug="report_closed")
    exists = db.session.execute(db.select(ReportSupport.id).filter_by(
        report_id=report.id, resident_id=actor.resident.id)).first()
    if exists is None:
        db.session.add(ReportSupport(report_id=report.id, resident_id=actor.resident.id))
        report.support_count += 1
        db.session.commit()
    return report


def supported_by(resident, report):
    return db.session.execute(db.select(ReportSupport.id).filter_by(
        report_id=report.id, resident_id=resident.id)).first() is not None


def list_for(actor, args):
    query = report_access.scoped_select(actor).order_by(Report.created_at.desc(),
                                                        Report.id.desc())
    if args.get("mine") and not actor.is_staff:
        query = query.where(Report.reporter_id == actor.resident.id)
    for field in ("status", "community_id", "category_id"):
        if args.get(field):
            query = query.where(getattr(Report, field) == args[field])
    if args.get("overdue"):
        query = query.where(sla.overdue_clause())
    if args.get("reworked"):
        query = query.where(Report.rework_count > 0)
    if args.get("street_id"):
        query = query.where(Community.street_id == args["street_id"])
    return paginate(query, args["page"], args["per_page"])


def board(actor, page, per_page):
    """Resolved public reports of the resident's community, newest first, without names."""
    community_id = report_access.require_member(actor.resident)
    query = (report_access.scoped_select(actor)
             .where(Report.community_id == community_id, Report.is_public, Report.fixed,
                    Report.closed_at.is_not(None))
             .order_by(Report.closed_at.desc(), Report.id.desc()))
    return paginate(query, page, per_page)


