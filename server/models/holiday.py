"""Public holidays as data the city office owns.

The shipped default is the `chinese-calendar` package. A year loaded here (the State
Council's schedule, published each autumn) overrides the package for that year. `revision`
grows with every load across all years: each process keeps the calendar in memory and reloads
it when the largest revision in this table changes, so a load takes effect everywhere without
a restart.
"""
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow


class HolidayYear(db.Model):
    __tablename__ = "holiday_years"
    __table_args__ = (CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    # The publisher's reference, e.g. 国办发明电〔2026〕7号.
    version: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(String(200), default="")
    # [{"name": "春节", "start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}, ...]: the days off.
    holidays = mapped_column(JSON, nullable=False)
    # ["YYYY-MM-DD", ...]: weekend days that are working days (调休上班).
    workdays = mapped_column(JSON, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, index=True)
    loaded_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    loaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # "api" (a city staff member, loaded_by_id) or "cli" (an operator on the server).
    loaded_via: Mapped[str] = mapped_column(String(10))

    loaded_by = relationship("Staff")


class StaffNotice(db.Model):
    """A staff member's inbox: things the system tells staff (not residents). No WeChat
    delivery; the workbench shows them."""

    __tablename__ = "staff_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(String(500), default="")
    # One notice per key: a daily job run twice (or by two schedulers) writes one row.
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    read_at = mapped_column(UTCDateTime)
