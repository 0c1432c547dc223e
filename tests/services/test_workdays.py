"""Working days on the Shanghai calendar: holidays and make-up working days from
chinese-calendar; a year without data is an error, never a guess."""
from datetime import date, datetime, timezone

import pytest

from server.services import workdays
from server.services.reports import sla
from tests.reports_helpers import load_categories


def test_spring_festival_holiday_is_skipped():
    # 2025: 1.28–2.4 off; Friday 1.24 + 2 working days = Sunday 1.26 (make-up) and 2.5.
    assert workdays.add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)
    assert workdays.add_working_days(date(2025, 1, 24), 2) == date(2025, 1, 27)
    assert workdays.add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)


def test_make_up_saturday_counts_as_a_working_day():
    # Saturday 2025-02-08 is a make-up working day; Friday 2.7 + 1 working day is that Saturday.
    assert workdays.is_working_day(date(2025, 2, 8))
    assert workdays.add_working_days(date(2025, 2, 7), 1) == date(2025, 2, 8)


def test_an_ordinary_weekend_is_skipped():
    assert workdays.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 10)


def test_a_year_without_calendar_data_is_an_error():
    with pytest.raises(workdays.CalendarUnavailable) as exc:
        workdays.add_working_days(date(2099, 3, 2), 1)
    assert "2099" in str(exc.value)


def test_deadline_ends_at_shanghai_midnight():
    filed = datetime(2025, 1, 24, 2, 0, tzinfo=timezone.utc)  # Friday 10:00 in Shanghai
    due = workdays.due_at(filed, 1)
    assert due.astimezone(timezone.utc) == datetime(2025, 1, 26, 16, 0, tzinfo=timezone.utc)


def test_report_in_a_year_without_data_gets_an_error_staff_see(app, db, org):
    from server.models import Report
    from tests.builders import make_member

    category = load_categories()["clutter"]
    report = Report(community=org.community, category=category, description="x",
                    reporter=make_member(org.community), status="submitted",
                    created_at=datetime(2099, 5, 4, 2, tzinfo=timezone.utc))
    sla.set_deadlines(report)
    assert report.resolve_due_at is None and "2099" in report.deadline_error
