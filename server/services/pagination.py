"""Page a SQLAlchemy select into the envelope every list endpoint returns."""
from dataclasses import dataclass

from sqlalchemy import func

from server.extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int


def paginate(query, page, per_page):
    total = db.session.execute(
        db.select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    items = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(items=list(items), page=page, per_page=per_page, total=total)
