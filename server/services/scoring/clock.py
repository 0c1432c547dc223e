"""The business calendar's today (Asia/Shanghai). Every date rule of the cycle asks here, so a
test can move the calendar to the day before or after a boundary."""
from datetime import date

# The one business clock lives in server/services/clock.py; these names stay importable here
# because every date rule of the cycle reads them as `clock.today()` / `clock.SHANGHAI`.
from server.services.clock import SHANGHAI, display, now, today  # noqa: F401 (re-exported)


def current_cycle(on=None):
    """The city-wide cycle that contains the date `on` (default today), or None."""
    from server.extensions import db
    from server.models import Cycle

    year = (on or today()).year
    return db.session.execute(db.select(Cycle).where(
        Cycle.start_year <= year, Cycle.end_year >= year)).scalar_one_or_none()


def cycle_year(cycle, on=None):
    """1, 2 or 3: which year of its cycle the date is in (0 outside the cycle)."""
    year = (on or today()).year
    return year - cycle.start_year + 1 if cycle.start_year <= year <= cycle.end_year else 0


def cycle_window(cycle, on=None):
    """The dates whose surveys and reports count for a cycle's score: from the cycle's first
    day to `on` (today), never past its last day."""
    first, last = date(cycle.start_year, 1, 1), date(cycle.end_year, 12, 31)
    return first, min(on or today(), last)
