"""Warning the city office ahead: from 1 November, while next year's holidays are missing
(neither loaded nor in the shipped package), each city staff member gets one notice a day in
their staff inbox. The daily job may run twice (or in two schedulers): one notice per staff
member per day, by its dedupe key."""
from sqlalchemy.exc import IntegrityError

from server.errors import NotFound
from server.extensions import db
from server.models import Staff, StaffNotice
from server.models.base import utcnow
from server.services import clock, workdays
from server.services.pagination import paginate

WARN_FROM = (11, 1)  # month, day: the State Council publishes in late October or November


def warn_missing():
    """Write today's notices; returns how many were new."""
    today = clock.today()
    year = today.year + 1
    if (today.month, today.day) < WARN_FROM or workdays.current().knows(year):
        return 0
    title = f"{year}年节假日安排尚未载入"
    body = (f"{year}年的节假日与调休安排尚未载入，落在{year}年的工作日期限只能按周末暂定。"
            f"国务院公布安排后，请在“节假日安排”中载入（或执行 flask holidays load）。")
    written = 0
    for staff in db.session.execute(db.select(Staff).filter_by(role="city", active=True)
                                    .order_by(Staff.id)).scalars():
        key = f"holidays-missing-{year}-{today.isoformat()}-{staff.id}"
        if db.session.execute(db.select(StaffNotice.id).filter_by(dedupe_key=key)).first():
            continue
        db.session.add(StaffNotice(staff_id=staff.id, kind="holidays_missing", title=title,
                                   body=body, dedupe_key=key))
        written += 1
    try:
        db.session.commit()
    except IntegrityError:
        # Another run wrote today's notices between our check and commit: they exist.
        db.session.rollback()
        return 0
    return written


def list_for(actor, page, per_page, unread=False):
    query = (db.select(StaffNotice).where(StaffNotice.staff_id == actor.staff.id)
             .order_by(StaffNotice.created_at.desc(), StaffNotice.id.desc()))
    if unread:
        query = query.where(StaffNotice.read_at.is_(None))
    return paginate(query, page, per_page)


def mark_read(actor, notice_id):
    notice = db.session.get(StaffNotice, notice_id)
    if notice is None or notice.staff_id != actor.staff.id:
        raise NotFound("未找到该消息", slug="notice_not_found")
    if notice.read_at is None:
        notice.read_at = utcnow()
        db.session.commit()
    return notice
