"""Working days on the Shanghai calendar: holidays and make-up working days from
chinese-calendar (or a year the city loaded); a year without data is an error unless a
provisional, weekends-only answer is asked for, and then it says so."""
from datetime import date, datetime, timezone

import pytest

from server.services import workdays
from server.services.reports import sla
from tests.reports_helpers import load_categories


def test_spring_festival_holiday_is_skipped(app):
    # 2025: 1.28–2.4 off; Friday 1.24 + 2 working days = Sunday 1.26 (make-up) and 2.5.
    assert workdays.add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)
    assert workdays.add_working_days(date(2025, 1, 24), 2) == date(2025, 1, 27)
    assert workdays.add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)


def test_make_up_saturday_counts_as_a_working_day(app):
    # Saturday 2025-02-08 is a make-up working day; Friday 2.7 + 1 working day is that Saturday.
    assert workdays.is_working_day(date(2025, 2, 8))
    assert workdays.add_working_days(date(2025, 2, 7), 1) == date(2025, 2, 8)


def test_an_ordinary_weekend_is_skipped(app):
    assert workdays.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 10)


def test_a_year_without_calendar_data_is_an_error(app):
    with pytest.raises(workdays.CalendarUnavailable) as exc:
        workdays.add_working_days(date(2099, 3, 2), 1)
    assert "2099" in str(exc.value)


def test_deadline_ends_at_shanghai_midnight(app):
    filed = datetime(2025, 1, 24, 2, 0, tzinfo=timezone.utc)  # Friday 10:00 in Shanghai
    due = workdays.due_at(filed, 1)
    assert due.astimezone(timezone.utc) == datetime(2025, 1, 26, 16, 0, tzinfo=timezone.utc)


def test_a_provisional_count_skips_weekends_alone_and_says_it_was_provisional(app):
    # 2099-03-03 is a Tuesday; the year has no data.
    assert workdays.add_working_days(date(2099, 3, 3), 4, provisional=True) == date(2099, 3, 9)
    assert workdays.covers(date(2099, 3, 3), date(2099, 3, 9)) is False
    assert workdays.covers(date(2025, 12, 30), date(2026, 1, 5)) is True


def test_report_in_a_year_without_data_gets_provisional_deadlines(app, db, org):
    from server.models import Report
    from tests.builders import make_member

    category = load_categories()["clutter"]
    report = Report(community=org.community, category=category, description="x",
                    reporter=make_member(org.community), status="submitted",
                    created_at=datetime(2099, 5, 4, 2, tzinfo=timezone.utc))
    sla.set_deadlines(report)
    # Monday 4 May 2099, 10:00 in Shanghai; resolve_days 5 on weekdays: 5-8 and 11 May.
    assert report.deadlines_provisional is True and report.deadline_error == ""
    assert workdays.clock.local_date(report.resolve_due_at) == date(2099, 5, 12)
