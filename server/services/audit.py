"""Writing to the append-only audit log. The caller's transaction carries the row, so an action
and its audit entry are committed together or not at all."""
from server.extensions import db
from server.models import AuditLog


def record(actor, action, obj, before=None, after=None, ip=""):
    """`actor` is an auth.Actor for staff, or the string "cli"/"system". The address is the
    actor's (taken from its request by server.auth) unless `ip` is given."""
    if isinstance(actor, str):
        kind, staff_id = actor, None
    else:
        kind, staff_id = actor.kind, actor.staff.id if actor.staff else None
        ip = ip or actor.ip
    entry = AuditLog(actor_kind=kind, actor_staff_id=staff_id, action=action,
                     object_type=obj.__tablename__, object_id=str(obj.id),
                     before=before, after=after, ip=ip or "")
    db.session.add(entry)
    return entry
