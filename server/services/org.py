"""The organisation: finding communities, and building the tree (seed data, CLI)."""
import re

from sqlalchemy import or_

from server.errors import Invalid, NotFound
from server.extensions import db
from server.models import Building, Community, OrgUnit
from server.models.org import PARENT_LEVEL, STREET_KINDS
from server.services import access
from server.services.pagination import paginate


def _escape_like(text):
    return re.sub(r"([\\%_])", r"\\\1", text)


def search_communities(actor, q, page, per_page):
    """Residents search every community by name (to bind to one: names and addresses are
    public); staff see only their scope."""
    query = db.select(Community).order_by(Community.name, Community.id)
    if q:
        pattern = f"%{_escape_like(q)}%"
        query = query.where(or_(Community.name.like(pattern, escape="\\"),
                                Community.code == q.upper()))
    if actor.is_staff:
        query = query.where(access.community_filter(actor.staff))
    return paginate(query, page, per_page)


def get_community(actor, community_id):
    community = db.session.get(Community, community_id)
    if community is None or (actor.is_staff
                             and not access.staff_sees_community(actor.staff, community)):
        raise NotFound("未找到该小区", slug="community_not_found")
    return community


def get_community_by_code(actor, code):
    community = db.session.execute(
        db.select(Community).filter_by(code=code.upper())).scalar_one_or_none()
    if community is None:
        raise NotFound("未找到该小区", slug="community_not_found")
    return get_community(actor, community.id)


def ensure_unit(code, name, level, parent=None, kind=None):
    """Create or update an org unit by code (idempotent, for seeding and the CLI)."""
    expected_parent = PARENT_LEVEL[level]
    if (parent.level if parent else None) != expected_parent:
        raise Invalid(f"{level} 必须隶属于 {expected_parent}")
    if level == "street" and kind not in STREET_KINDS:
        raise Invalid(f"街镇类型必须是 {'/'.join(STREET_KINDS)} 之一")
    unit = access.unit_by_code(code)
    if unit is None:
        unit = OrgUnit(code=code)
        db.session.add(unit)
    unit.name, unit.level, unit.kind, unit.parent = name, level, kind, parent
    db.session.flush()
    return unit


def ensure_community(code, name, residential_area, address="", households=0, buildings=()):
    if residential_area.level != "residential_area":
        raise Invalid("小区必须隶属于居民区")
    community = db.session.execute(
        db.select(Community).filter_by(code=code)).scalar_one_or_none()
    if community is None:
        community = Community(code=code)
        db.session.add(community)
    street = residential_area.parent
    district = street.parent
    community.name, community.address, community.households = name, address, households
    community.residential_area, community.street = residential_area, street
    community.district, community.city = district, district.parent
    existing = {b.name for b in community.buildings}
    for building in buildings:
        if building not in existing:
            community.buildings.append(Building(name=building, sort_key=natural_key(building)))
    db.session.flush()
    return community


def natural_key(text):
    """Sort "2号楼" before "10号楼": zero-pad every run of digits."""
    return re.sub(r"\d+", lambda m: m.group(0).zfill(6), text)[:60]
