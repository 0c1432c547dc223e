"""Staff accounts."""
from werkzeug.security import generate_password_hash

from server.errors import Conflict, Invalid
from server.extensions import db
from server.models import Staff
from server.models.people import ROLE_LEVEL, ROLES
from server.services import access, audit

MIN_PASSWORD = 10


def create_staff(username, password, role, scope_code, display_name="", actor="cli"):
    if role not in ROLES:
        raise Invalid(f"角色必须是 {'/'.join(ROLES)} 之一")
    unit = access.unit_by_code(scope_code)
    if unit is None:
        raise Invalid(f"未找到机构代码 {scope_code}")
    if unit.level != ROLE_LEVEL[role]:
        raise Invalid(f"{role} 角色的管辖范围必须是 {ROLE_LEVEL[role]} 级机构，"
                      f"{scope_code} 是 {unit.level}")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"密码至少 {MIN_PASSWORD} 位")
    if db.session.execute(db.select(Staff).filter_by(username=username)).scalar_one_or_none():
        raise Conflict(f"用户名 {username} 已存在", slug="username_taken")
    staff = Staff(username=username, password_hash=generate_password_hash(password),
                  role=role, scope_unit=unit, display_name=display_name or username)
    db.session.add(staff)
    db.session.flush()
    audit.record(actor, "staff.create", staff, None,
                 {"username": username, "role": role, "scope": scope_code})
    return staff
