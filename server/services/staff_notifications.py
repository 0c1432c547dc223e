"""The staff inbox: messages about staff members' own work, written by the services that make
the change, in the same transaction (so a committed answer always has its message). Read in
the console, where the unread count refreshes by itself."""
from sqlalchemy import update

from server.errors import NotFound
from server.extensions import db
from server.models import Staff, StaffNotification
from server.models.base import utcnow
from server.services.pagination import paginate


def notify_unit(unit_id, role, kind, title, body, link):
    """One message for every active staff member of `role` scoped to the unit."""
    recipients = db.session.execute(db.select(Staff).where(
        Staff.scope_unit_id == unit_id, Staff.role == role, Staff.active)).scalars().all()
    for staff in recipients:
        db.session.add(StaffNotification(staff=staff, kind=kind, title=title[:60],
                                         body=body[:500], link=link[:200], created_at=utcnow()))
    return len(recipients)


def rectification_answered(order):
    """The street that issued an order learns that its committee answered."""
    return notify_unit(
        order.community.street_id, "street", "rectification_answered",
        f"{order.community.name}已答复整改意见",
        f"【{order.title}】{order.answer[:200]}", f"/console/rectifications/{order.id}")


def report_filed(report):
    """The committee learns of a new report in one of its communities."""
    return notify_unit(
        report.community.residential_area_id, "committee", "report_filed",
        f"新的群众反映：{report.category.name}",
        f"{report.community.name}{report.building}：{report.description[:200]}",
        f"/console/reports/{report.id}")


def report_escalated(report, stage):
    """An overdue report reaches the street's inbox when the SLA scan escalates it."""
    return notify_unit(
        report.community.street_id, "street", "report_escalated",
        f"反映超过{stage}期限，已提交街道督办",
        f"{report.community.name}【{report.category.name}】{report.description[:200]}",
        f"/console/reports/{report.id}")


def list_for(staff, page, per_page):
    query = (db.select(StaffNotification).where(StaffNotification.staff_id == staff.id)
             .order_by(StaffNotification.created_at.desc(), StaffNotification.id.desc()))
    return paginate(query, page, per_page)


def unread_count(staff):
    return db.session.execute(db.select(db.func.count(StaffNotification.id)).where(
        StaffNotification.staff_id == staff.id, StaffNotification.read_at.is_(None))
    ).scalar_one()


def mark_read(staff, notification_id):
    """Mark one of the staff member's own messages read (another's is a 404); returns it."""
    notification = db.session.get(StaffNotification, notification_id)
    if notification is None or notification.staff_id != staff.id:
        raise NotFound("未找到该消息", slug="notification_not_found")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(staff):
    db.session.execute(update(StaffNotification).where(
        StaffNotification.staff_id == staff.id, StaffNotification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
