"""Staff accounts: creating them, and managing them from above.

Who manages whom: a unit's superior levels manage the accounts scoped within their scope (a
street its committees, a district its streets and their committees); the city manages every
account. Accounts outside the caller's scope are 404, peers at the caller's own unit 403. Every
change is audited and takes effect on the next request: deactivation and password resets end
the account's sessions, and role and scope are read from the account on every request.
"""
from werkzeug.security import generate_password_hash

from server import auth
from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import OrgUnit, Staff
from server.models.people import ROLE_LEVEL, ROLES
from server.services import access, audit, lockout
from server.services.pagination import paginate

MIN_PASSWORD = 10


def create_staff(username, password, role, scope_code, display_name="", actor="cli"):
    unit = _unit_for_role(role, scope_code)
    if db.session.execute(db.select(Staff).filter_by(username=username)).scalar_one_or_none():
        raise Conflict(f"用户名 {username} 已存在", slug="username_taken")
    staff = Staff(username=username, password_hash="", role=role, scope_unit=unit,
                  display_name=display_name or username)
    set_password(staff, password)
    db.session.add(staff)
    db.session.flush()
    audit.record(actor, "staff.create", staff, None,
                 {"username": username, "role": role, "scope": scope_code})
    return staff


def _unit_for_role(role, scope_code):
    if role not in ROLES:
        raise Invalid(f"角色必须是 {'/'.join(ROLES)} 之一")
    unit = access.unit_by_code(scope_code)
    if unit is None:
        raise Invalid(f"未找到机构代码 {scope_code}")
    if unit.level != ROLE_LEVEL[role]:
        raise Invalid(f"{role} 角色的管辖范围必须是 {ROLE_LEVEL[role]} 级机构，"
                      f"{scope_code} 是 {unit.level}")
    return unit


def set_password(staff, password):
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"密码至少 {MIN_PASSWORD} 位", details={"fields": {"password": [
            f"密码至少 {MIN_PASSWORD} 位"]}})
    staff.password_hash = generate_password_hash(password)


def _below(manager, unit):
    """Whether `unit` is one the manager may hand out or manage accounts in."""
    if manager.role == "city":
        return True
    return unit.id != manager.scope_unit_id and access.staff_sees_unit(manager, unit)


def list_managed(actor, role, active, page, per_page):
    """The accounts the caller manages (never their own unit's peers)."""
    manager = actor.staff
    query = db.select(Staff).join(OrgUnit, Staff.scope_unit_id == OrgUnit.id).order_by(Staff.id)
    if manager.role != "city":
        ids = [unit.id for unit in _descendants(manager.scope_unit)]
        query = query.where(Staff.scope_unit_id.in_(ids))
    if role:
        query = query.where(Staff.role == role)
    if active is not None:
        query = query.where(Staff.active.is_(active))
    return paginate(query, page, per_page)


def _descendants(unit):
    found, frontier = [], [unit.id]
    while frontier:
        children = db.session.execute(
            db.select(OrgUnit).where(OrgUnit.parent_id.in_(frontier))).scalars().all()
        found += children
        frontier = [child.id for child in children]
    return found


def managed(actor, staff_id):
    """The account `staff_id` if the caller manages it: 404 outside their scope, 403 for a
    peer, 409 for their own account (changed through /auth, not here)."""
    target = db.session.get(Staff, staff_id)
    manager = actor.staff
    if target is None or not (manager.role == "city"
                              or access.staff_sees_unit(manager, target.scope_unit)):
        raise NotFound("未找到该工作人员", slug="staff_not_found")
    if target.id == manager.id:
        raise Conflict("不能在这里管理自己的账号", slug="own_account")
    if not _below(manager, target.scope_unit):
        raise Forbidden("只能管理下级机构的工作人员账号", slug="not_subordinate")
    return target


def set_active(actor, staff_id, active):
    target = managed(actor, staff_id)
    before = {"active": target.active}
    target.active = active
    after = {"active": active}
    if not active:
        # Reactivating later must not bring the old sessions back.
        after["sessions_ended"] = auth.revoke_sessions(staff=target)
    audit.record(actor, "staff.activate" if active else "staff.deactivate", target, before,
                 after)
    db.session.commit()
    return target


def change_role(actor, staff_id, role, scope_code):
    target = managed(actor, staff_id)
    unit = _unit_for_role(role, scope_code)
    if not _below(actor.staff, unit):
        raise Forbidden("只能把账号设在自己管辖的下级机构", slug="not_subordinate")
    before = {"role": target.role, "scope": target.scope_unit.code}
    target.role, target.scope_unit = role, unit
    audit.record(actor, "staff.role_change", target, before, {"role": role, "scope": unit.code})
    db.session.commit()
    return target


def reset_password(actor, staff_id, password):
    target = managed(actor, staff_id)
    set_password(target, password)
    ended = auth.revoke_sessions(staff=target)
    audit.record(actor, "staff.password_reset", target, None, {"sessions_ended": ended})
    db.session.commit()
    lockout.clear(target.username)
    return target


def end_sessions(actor, staff_id):
    target = managed(actor, staff_id)
    ended = auth.revoke_sessions(staff=target)
    audit.record(actor, "staff.sessions_end", target, None, {"sessions_ended": ended})
    db.session.commit()
    return target
