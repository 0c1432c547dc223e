"""Working days on the Shanghai (national) calendar: public holidays and make-up working days
(调休).

Where the days come from, per year: a year the city office loaded (server/services/holidays.py,
the State Council's schedule as data) wins; otherwise the maintained `chinese-calendar`
package; otherwise nobody knows yet. For such a year a caller may ask for a provisional
answer, counted on weekends alone (`provisional=True`, and `covers()` says whether it was);
without it the answer is CalendarUnavailable, never a silent guess.

Every process keeps the loaded years in memory and reloads them when the largest revision in
holiday_years changes (one small query per calculation), so a load takes effect everywhere
without a restart.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from server.extensions import db
from server.models import HolidayYear
from server.services import clock


class CalendarUnavailable(Exception):
    """The calendar has no holiday data for this year."""

    def __init__(self, day):
        self.year = day.year
        super().__init__(f"{day.year}年的节假日安排尚未载入，无法计算工作日期限；"
                         "请市级管理员载入该年的节假日安排")


@lru_cache(maxsize=None)
def package_has(year):
    """Whether chinese-calendar carries this year (it raises for years it lacks)."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass
class Calendar:
    revision: int = 0
    # year -> (days off, make-up working days), from the loaded years.
    loaded: dict = field(default_factory=dict)

    def source(self, year):
        """"loaded", "package" or "missing"."""
        if year in self.loaded:
            return "loaded"
        return "package" if package_has(year) else "missing"

    def knows(self, year):
        return self.source(year) != "missing"

    def is_working_day(self, day, provisional=False):
        if day.year in self.loaded:
            off, on = self.loaded[day.year]
            return day in on or (day.weekday() < 5 and day not in off)
        if package_has(day.year):
            return chinese_calendar.is_workday(day)
        if provisional:
            return day.weekday() < 5
        raise CalendarUnavailable(day)


_cached = Calendar(revision=-1)


def forget():
    """Drop this process's copy. Only a process that switches databases needs it (tests):
    revisions count per database."""
    global _cached
    _cached = Calendar(revision=-1)


def current():
    """The calendar as loaded now; rebuilt only when a load has changed the revision."""
    global _cached
    revision = db.session.execute(db.select(db.func.max(HolidayYear.revision))).scalar() or 0
    if revision != _cached.revision:
        loaded = {}
        for row in db.session.execute(db.select(HolidayYear)).scalars():
            off = {date.fromisoformat(s["start"]) + timedelta(days=i)
                   for s in row.holidays
                   for i in range((date.fromisoformat(s["end"])
                                   - date.fromisoformat(s["start"])).days + 1)}
            loaded[row.year] = (off, {date.fromisoformat(d) for d in row.workdays})
        _cached = Calendar(revision, loaded)
    return _cached


def is_working_day(day, provisional=False):
    return current().is_working_day(day, provisional)


def add_working_days(start, days, provisional=False):
    """The date that is `days` working days after `start` (start itself not counted)."""
    calendar = current()
    current_day = start
    remaining = days
    while remaining > 0:
        current_day += timedelta(days=1)
        if calendar.is_working_day(current_day, provisional):
            remaining -= 1
    return current_day


def covers(first, last):
    """Whether every year from `first` to `last` (dates) has holiday data."""
    calendar = current()
    return all(calendar.knows(year) for year in range(first.year, last.year + 1))


def due_at(moment, days, provisional=False):
    """The end of the `days`-th working day after the Shanghai date of `moment`."""
    return clock.end_of_day(add_working_days(clock.local_date(moment), days, provisional))
