"""Our report categories as Open311 services and our reports as service requests.

What leaves through Open311 is only what the spec's fields need: no openid, phone, name or
room of any resident, no photos (they may show faces and doorways), and a resident's
description only once WeChat's content check passed. A report a resident marked private (or
of a never-public category) is seen only by the partner system that filed it; rejected
reports are not listed publicly (their text may be abusive), exactly as for other residents.
"""
import re
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, or_

from server.errors import BadRequest, NotFound
from server.extensions import db
from server.models import Community, OrgUnit, Report, ReportCategory
from server.services import clock
from server.services.pagination import paginate
from server.services.reports import categories as category_service
from server.services.reports import filing
from server.services.reports.timeline import STATUS_WORDS

AREA_NAMES = {"S1": "社会主义精神文明建设", "S2": "法治环境", "S3": "人文环境",
              "S4": "生活环境", "S5": "社会环境安全", "S6": "生态环境", "S7": "创建工作机制"}
HANDLER_NAMES = {"committee": "居委会", "property": "物业服务企业",
                 "owners_committee": "业主委员会", "hotline_12345": "12345市民服务热线"}
# Our states -> Open311's two. "resolved" is closed for Open311 (the committee says it is
# fixed); the resident's rating may reopen it once as rework, which shows as open again.
OPEN_STATES = ("submitted", "accepted", "contacted", "in_progress")
CLOSED_STATES = ("resolved", "closed", "rejected", "merged", "referred")
HIDDEN_FROM_PUBLIC = ("rejected",)
# The one attribute our filing asks for beyond the spec's own fields.
BUILDING_ATTRIBUTE = {"variable": True, "code": "building", "datatype": "string",
                      "required": False, "datatype_description": "楼号，如 12号楼",
                      "order": 1, "description": "问题所在楼号（不填时请提供经纬度）"}
MAX_SPAN = timedelta(days=90)
MAX_IDS = 100


def _services():
    return [c for c in category_service.list_categories() if not c.emergency]


def services():
    """The service list: every category residents can report, grouped by standard area."""
    return [service_view(c) for c in _services()]


def service_view(category):
    return {"service_code": category.code, "service_name": category.name,
            "description": category.hint, "metadata": True, "type": "realtime",
            "keywords": category.area, "group": f"{category.area} {AREA_NAMES[category.area]}"}


def _category_by_code(code):
    category = db.session.execute(db.select(ReportCategory).filter_by(
        code=code, active=True, emergency=False)).scalar_one_or_none()
    if category is None:
        raise NotFound("未找到该服务类别（service_code）", slug="service_not_found")
    return category


def definition(code):
    category = _category_by_code(code)
    return {"service_code": category.code, "attributes": [dict(BUILDING_ATTRIBUTE)]}


def jurisdiction(code):
    """The district named by jurisdiction_id, or None when none was given."""
    if not code:
        return None
    unit = db.session.execute(db.select(OrgUnit).filter_by(
        code=code, level="district")).scalar_one_or_none()
    if unit is None:
        raise NotFound("未找到该辖区（jurisdiction_id 应为区代码，如 XH）",
                       slug="jurisdiction_not_found")
    return unit


# --- reading requests ---------------------------------------------------------------------

def _visible(partner):
    """Public reports for everyone; a partner also sees the requests it filed. A resident's
    text still waiting for its content check is blanked in request_view, not hidden."""
    public = and_(Report.is_public, Report.status.not_in(HIDDEN_FROM_PUBLIC))
    return public if partner is None else or_(public, Report.partner_id == partner.id)


def request_by_id(partner, report_id):
    report = db.session.get(Report, report_id)
    if report is None or not db.session.execute(db.select(Report.id).where(
            Report.id == report_id, _visible(partner))).first():
        raise NotFound("未找到该服务请求", slug="request_not_found")
    return report


def request_id_for_token(token):
    """The request id a POST's token stands for. A token is a random UUID known only to the
    partner that filed the request, and the id it yields still obeys _visible."""
    report_id = db.session.execute(db.select(Report.id).filter_by(
        partner_token=token)).scalar_one_or_none()
    if report_id is None:
        raise NotFound("未找到该 token", slug="token_not_found")
    return report_id


def parse_datetime(value, name):
    """A W3C datetime (2026-12-01T00:00:00Z or with an offset); a bare date is the Shanghai
    day's start."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"{name} 应为 W3C 日期时间，如 2026-12-01T00:00:00+08:00",
                         slug="invalid_datetime") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.SHANGHAI)
    return moment.astimezone(timezone.utc)


def _csv(value, name, pattern=r"^[A-Za-z0-9_\-]{1,40}$"):
    items = [v.strip() for v in (value or "").split(",") if v.strip()]
    for item in items:
        if not re.match(pattern, item):
            raise BadRequest(f"{name} 含有无效的值：{item[:40]}", slug=f"invalid_{name}")
    return items


def list_requests(partner, args, now):
    """The spec's GET requests: service_request_id (comma list; overrides the other filters),
    service_code (comma list), status (open/closed, comma list), start_date/end_date on the
    requested datetime (at most 90 days; the last 90 days when neither is given),
    jurisdiction_id, and our paging (page, page_size)."""
    query = (db.select(Report).join(Community, Community.id == Report.community_id)
             .where(_visible(partner)))
    district = jurisdiction(args.get("jurisdiction_id"))
    if district is not None:
        query = query.where(Community.district_id == district.id)
    ids = _csv(args.get("service_request_id"), "service_request_id", r"^\d{1,9}$")
    if len(ids) > MAX_IDS:
        raise BadRequest(f"一次最多查询 {MAX_IDS} 个 service_request_id", slug="too_many_ids")
    if ids:
        query = query.where(Report.id.in_([int(i) for i in ids]))
    else:
        query = _filters(query, args, now)
    query = query.order_by(Report.created_at.desc(), Report.id.desc())
    return paginate(query, _int(args.get("page"), "page", 1, 100000, 1),
                    _int(args.get("page_size"), "page_size", 1, 200, 50))


def _filters(query, args, now):
    codes = _csv(args.get("service_code"), "service_code")
    if codes:
        query = query.where(Report.category_id.in_(
            db.select(ReportCategory.id).where(ReportCategory.code.in_(codes))))
    statuses = _csv(args.get("status"), "status", r"^(open|closed)$")
    if statuses and set(statuses) != {"open", "closed"}:
        states = OPEN_STATES if statuses[0] == "open" else CLOSED_STATES
        query = query.where(Report.status.in_(states))
    start = parse_datetime(args.get("start_date"), "start_date")
    end = parse_datetime(args.get("end_date"), "end_date")
    if start is None and end is None:
        start = now - MAX_SPAN
    elif start is None:
        start = end - MAX_SPAN
    elif end is None:
        end = min(now, start + MAX_SPAN)
    if end is not None and end < start:
        raise BadRequest("end_date 早于 start_date", slug="invalid_date_range")
    if end is not None and end - start > MAX_SPAN:
        raise BadRequest("start_date 与 end_date 相差不能超过 90 天", slug="date_range_too_long")
    query = query.where(Report.created_at >= start)
    if end is not None:
        query = query.where(Report.created_at <= end)
    return query


def _int(value, name, low, high, default):
    if value in (None, ""):
        return default
    if not re.match(r"^\d{1,7}$", str(value)) or not low <= int(value) <= high:
        raise BadRequest(f"{name} 应为 {low}–{high} 的整数", slug=f"invalid_{name}")
    return int(value)


def open311_status(report):
    return "open" if report.status in OPEN_STATES else "closed"


def status_notes(report):
    word = STATUS_WORDS.get(report.status, report.status)
    if report.status == "referred":
        return f"{word}，工单号 {report.referral_ref}"
    if report.status == "merged":
        return f"{word}到服务请求 {report.merged_into_id}"
    if report.status == "rejected":
        return f"{word}"
    if report.status in ("resolved", "closed") and report.reply:
        return f"{word}：{report.reply}"
    if report.rework_count and report.status == "in_progress":
        return "居民不满意，返工处理中"
    return word


def _w3c(moment):
    return moment.astimezone(clock.SHANGHAI).isoformat(timespec="seconds") if moment else None


def request_view(report):
    community = report.community
    category = report.category
    handler = report.handler_kind if report.handler_kind == "hotline_12345" else category.handler
    return {
        "service_request_id": str(report.id),
        "status": open311_status(report),
        "status_notes": status_notes(report),
        "service_name": category.name,
        "service_code": category.code,
        "description": report.description if report.publicly_visible else "",
        "agency_responsible": f"{community.residential_area.name}·{HANDLER_NAMES[handler]}",
        "service_notice": report.deadline_error and "办结期限暂无法计算",
        "requested_datetime": _w3c(report.created_at),
        "updated_datetime": _w3c(report.updated_at),
        # The working-day deadline to resolve (extensions included) while it is open.
        "expected_datetime": _w3c(report.resolve_due_at) if report.status in OPEN_STATES
        else None,
        "address": " ".join(p for p in (community.name, report.building) if p),
        "address_id": community.code,
        "zipcode": None,
        "lat": report.latitude,
        "long": report.longitude,
        "media_url": None,
    }


# --- filing -------------------------------------------------------------------------------

def _float(value, name, low, high):
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or number != number or not low <= number <= high:
        raise BadRequest(f"{name} 应为 {low} 到 {high} 之间的数字", slug=f"invalid_{name}")
    return number


def post_request(partner, form):
    """File a partner's request as a report. The community is named by address_id (our
    community code): we hold no community boundaries, so a point alone cannot be matched to
    a community and is refused. jurisdiction_id, when given, must be the community's
    district. The caller's personal fields (email, names, phone, device/account ids) are
    not kept."""
    category = _category_by_code((form.get("service_code") or "").strip())
    district = jurisdiction((form.get("jurisdiction_id") or "").strip())
    code = (form.get("address_id") or "").strip()
    if not code:
        raise BadRequest("请提供 address_id（小区代码）：本系统没有小区边界，无法仅凭经纬度确定小区",
                         slug="address_id_required")
    community = db.session.execute(db.select(Community).filter_by(
        code=code.upper())).scalar_one_or_none()
    if community is None or (district is not None and community.district_id != district.id):
        raise BadRequest("address_id 不是本辖区内的小区代码", slug="address_id_unknown")
    lat = _float(form.get("lat"), "lat", -90, 90)
    lng = _float(form.get("long"), "long", -180, 180)
    if (lat is None) != (lng is None):
        raise BadRequest("lat 与 long 须同时提供", slug="incomplete_point")
    description = (form.get("description") or "").strip()
    if not 1 <= len(description) <= 500:
        raise BadRequest("description 为必填，最多 500 字", slug="invalid_description")
    building = (form.get("attribute[building]") or form.get("address_string") or "").strip()
    if len(building) > 40:
        raise BadRequest("楼号（attribute[building] / address_string）最多 40 字",
                         slug="invalid_building")
    if not building and lat is None:
        raise BadRequest("请提供楼号（attribute[building]）或经纬度（lat、long）",
                         slug="location_required")
    body = {"category_id": category.id, "description": description, "building": building,
            "latitude": lat, "longitude": lng, "token": str(uuid.uuid4())}
    report = filing.create_for_partner(partner, community, body)
    return {"service_request_id": str(report.id), "token": report.partner_token,
            "service_notice": f"已转{community.name}所属居委会办理，"
                              f"{category.resolve_days} 个工作日内办结"}
