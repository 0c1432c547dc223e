"""The city office's holiday data: one year of the State Council's schedule at a time.

A year's file (YAML or JSON; docs/holidays.md):

    year: 2027
    version: 国办发明电〔2026〕N号
    source: 国务院办公厅关于2027年部分节假日安排的通知
    holidays:                      # the days off, as the notice lists them
      - {name: 元旦, start: 2027-01-01, end: 2027-01-01}
    workdays: [2027-02-20]         # weekend days worked instead (调休上班)

Loading validates the whole file first (every reason at once, in Chinese) and writes nothing
if any is wrong. A good load replaces the year, bumps the calendar's revision (every process
picks it up on its next calculation), is audited, and queues the recomputation of every
provisional deadline through the outbox.
"""
from datetime import date

import yaml
from sqlalchemy.exc import IntegrityError

from server.errors import Conflict, Invalid
from server.extensions import db
from server.models import HolidayYear
from server.models.base import utcnow
from server.services import audit, outbox, workdays
from server.services.pagination import Page

MIN_YEAR, MAX_YEAR = 2000, 2100


def _day(value, where, year, reasons):
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            reasons.append(_reason("bad_date", where, f"{value} 不是 YYYY-MM-DD 格式的日期"))
            return None
    if year is not None and day.year != year:
        reasons.append(_reason("outside_year", where, f"{day.isoformat()} 不在 {year} 年内"))
        return None
    return day


def _reason(code, where, message):
    return {"code": code, "where": where, "message": f"{where}：{message}" if where else message}


def _text(data, key, limit, reasons, required=True):
    value = data.get(key)
    if not required and (value is None or value == ""):
        return ""
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
        reasons.append(_reason(f"bad_{key}", key, f"应为 1–{limit} 个字的文字"))
        return ""
    return value.strip()


def parse(data, year=None):
    """The validated year as stored: {year, version, source, holidays, workdays}. Raises
    Invalid (422) listing every reason. `year` (from the URL) must match the file's."""
    if not isinstance(data, dict):
        raise Invalid("节假日文件应为一个对象（year、version、holidays、workdays）",
                      slug="invalid_holidays")
    reasons = []
    unknown = set(data) - {"year", "version", "source", "holidays", "workdays"}
    if unknown:
        reasons.append(_reason("unknown_field", "", f"不认识的字段：{'、'.join(sorted(unknown))}"))
    file_year = data.get("year", year)
    if isinstance(file_year, bool) or not isinstance(file_year, int) \
            or not MIN_YEAR <= file_year <= MAX_YEAR:
        reasons.append(_reason("bad_year", "year", f"年份应为 {MIN_YEAR}–{MAX_YEAR} 的整数"))
        file_year = None
    elif year is not None and file_year != year:
        reasons.append(_reason("year_mismatch", "year", f"文件中的年份 {file_year} 与 {year} 不符"))
    version = _text(data, "version", 60, reasons)
    source = _text(data, "source", 200, reasons, required=False)
    holidays, off = _holidays(data.get("holidays"), file_year, reasons)
    on = _workdays(data.get("workdays"), file_year, reasons)
    for day in sorted(off & on):
        reasons.append(_reason("both", "workdays",
                               f"{day.isoformat()} 既是放假日又是调休上班日"))
    if reasons:
        raise Invalid(f"节假日文件有 {len(reasons)} 处错误，未载入任何数据",
                      slug="invalid_holidays", details={"reasons": reasons})
    return {"year": file_year, "version": version, "source": source, "holidays": holidays,
            "workdays": sorted(d.isoformat() for d in on)}


def _holidays(value, year, reasons):
    if not isinstance(value, list) or not value:
        reasons.append(_reason("bad_holidays", "holidays", "应为放假安排的列表（至少一项）"))
        return [], set()
    out, off = [], set()
    for n, item in enumerate(value, 1):
        where = f"holidays 第 {n} 项"
        if not isinstance(item, dict) or set(item) - {"name", "start", "end"}:
            reasons.append(_reason("bad_holiday", where, "应包含 name、start、end"))
            continue
        name = item.get("name")
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > 20:
            reasons.append(_reason("bad_name", where, "节日名称应为 1–20 个字"))
        start = _day(item.get("start"), where, year, reasons)
        end = _day(item.get("end", item.get("start")), where, year, reasons)
        if start is None or end is None or year is None:
            continue
        if end < start:
            reasons.append(_reason("end_before_start", where,
                                   f"结束日 {end.isoformat()} 早于开始日 {start.isoformat()}"))
            continue
        days = {date.fromordinal(o) for o in range(start.toordinal(), end.toordinal() + 1)}
        for day in sorted(days & off):
            reasons.append(_reason("overlap", where, f"{day.isoformat()} 与其他放假安排重复"))
        off |= days
        out.append({"name": str(name).strip(), "start": start.isoformat(),
                    "end": end.isoformat()})
    return out, off


def _workdays(value, year, reasons):
    if value is None:
        value = []
    if not isinstance(value, list):
        reasons.append(_reason("bad_workdays", "workdays", "应为调休上班日期的列表"))
        return set()
    on = set()
    for n, item in enumerate(value, 1):
        where = f"workdays 第 {n} 项"
        day = _day(item, where, year, reasons)
        if day is None:
            continue
        if day.weekday() < 5:
            reasons.append(_reason("not_weekend", where,
                                   f"{day.isoformat()} 是工作日，调休上班日应为周六或周日"))
        if day in on:
            reasons.append(_reason("duplicate", where, f"{day.isoformat()} 重复"))
        on.add(day)
    return on


def read_file(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"无法读取节假日文件：{exc}", slug="invalid_holidays") from None
    except yaml.YAMLError as exc:
        raise Invalid(f"节假日文件不是有效的 YAML/JSON：{exc}", slug="invalid_holidays") from None


def load(actor, data, year=None, via="api"):
    """Validate and store one year; `actor` is a staff Actor (API) or "cli". Commits."""
    parsed = parse(data, year)
    revision = db.session.execute(db.select(db.func.max(HolidayYear.revision))).scalar() or 0
    row = db.session.execute(db.select(HolidayYear).filter_by(
        year=parsed["year"])).scalar_one_or_none()
    before = _snapshot(row) if row is not None else None
    if row is None:
        row = HolidayYear(year=parsed["year"])
        db.session.add(row)
    for key in ("version", "source", "holidays", "workdays"):
        setattr(row, key, parsed[key])
    row.revision = revision + 1
    row.loaded_via = via
    row.loaded_by_id = actor.staff.id if via == "api" else None
    row.loaded_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError:
        # Two first loads of one year at once: the other committed; this one changes nothing.
        db.session.rollback()
        raise Conflict(f"{parsed['year']} 年的节假日安排正在被另一次载入写入，请刷新后重试",
                       slug="holidays_load_conflict") from None
    audit.record(actor, "holidays.load", row, before, _snapshot(row))
    outbox.add("holidays.recompute", {"year": row.year},
               dedupe_key=f"holidays-recompute-{row.revision}")
    db.session.commit()
    return row


def _snapshot(row):
    return {"year": row.year, "version": row.version, "holidays": row.holidays,
            "workdays": row.workdays, "revision": row.revision}


def _item(year, origin, row):
    """A year as the API shows it; `origin`: loaded, package (chinese-calendar) or missing."""
    item = {"year": year, "origin": origin, "row": row}
    if row is not None:
        item.update(version=row.version, source=row.source, holidays=row.holidays,
                    workdays=row.workdays, revision=row.revision, loaded_at=row.loaded_at,
                    loaded_via=row.loaded_via,
                    loaded_by=row.loaded_by.username if row.loaded_by else None)
    return item


def item_for(row):
    return _item(row.year, workdays.current().source(row.year), row)


def years(page, per_page, around):
    """Every loaded year plus the years around `around` (this year and next), newest first,
    each with where its days come from."""
    rows = {r.year: r for r in db.session.execute(db.select(HolidayYear)).scalars()}
    wanted = sorted(set(rows) | {around, around + 1}, reverse=True)
    calendar = workdays.current()
    items = [_item(y, calendar.source(y), rows.get(y)) for y in wanted]
    start = (page - 1) * per_page
    return Page(items=items[start:start + per_page], page=page, per_page=per_page,
                total=len(items))
