"""Working days on the Shanghai (national) calendar: public holidays and make-up working days
(调休) from the maintained `chinese-calendar` package. A date in a year the package has no data
for is an error (CalendarUnavailable), never a guess: a deadline computed from weekends alone
would be wrong by a week around the Spring Festival. Updating the package (pinned in
requirements.txt) is how the city adds a new year, as the State Council publishes it each
November."""
from datetime import timedelta

import chinese_calendar

from server.services import clock


class CalendarUnavailable(Exception):
    """The calendar has no holiday data for this year."""

    def __init__(self, day):
        self.year = day.year
        super().__init__(f"{day.year}年的节假日安排尚未载入，无法计算工作日期限；"
                         "请管理员更新节假日数据（chinese-calendar）")


def is_working_day(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarUnavailable(day) from None


def add_working_days(start, days):
    """The date that is `days` working days after `start` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def due_at(moment, days):
    """The end of the `days`-th working day after the Shanghai date of `moment`."""
    return clock.end_of_day(add_working_days(clock.local_date(moment), days))

