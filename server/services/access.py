"""Who may see what. Every service that reads or changes org-scoped data asks here.

A committee sees the communities of its residential area, a street all communities under it,
a district its streets' communities, the city everything. Outside the scope the answer is 404,
so a caller cannot even learn that an object exists.
"""
from sqlalchemy import false

from server.errors import NotFound
from server.extensions import db
from server.models import Community, OrgUnit

# Which Community column holds the ancestor of each org level.
_COMMUNITY_COLUMN = {
    "residential_area": Community.residential_area_id,
    "street": Community.street_id,
    "district": Community.district_id,
    "city": Community.city_id,
}


def community_filter(staff):
    """A SQL condition on Community that is true exactly for the staff member's scope."""
    unit = staff.scope_unit
    if unit is None:
        return false()
    column = _COMMUNITY_COLUMN.get(unit.level)
    return column == unit.id if column is not None else false()


def staff_sees_community(staff, community):
    unit = staff.scope_unit
    column = _COMMUNITY_COLUMN.get(unit.level) if unit else None
    return column is not None and getattr(community, column.key) == unit.id


def staff_sees_unit(staff, unit):
    """Whether an org unit lies in the staff member's scope (the scope unit or below it)."""
    scope = staff.scope_unit
    node = unit
    while node is not None:
        if node.id == scope.id:
            return True
        node = node.parent
    return False


def community_for_staff(staff, community_id):
    community = db.session.get(Community, community_id)
    if community is None or not staff_sees_community(staff, community):
        raise NotFound("未找到该小区", slug="community_not_found")
    return community


def unit_by_code(code):
    return db.session.execute(db.select(OrgUnit).filter_by(code=code)).scalar_one_or_none()
