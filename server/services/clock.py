"""The business clock: Asia/Shanghai. Every rule that asks "what day is it" or "which day did
this happen on" asks here, never `date.today()` (the machine's zone, often UTC, is the wrong
day from 16:00 to 24:00 UTC). Instants are stored in UTC; only dates are Shanghai's."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The current instant, aware, in Shanghai time."""
    return datetime.now(SHANGHAI)


def today() -> date:
    return now().date()


def local_date(moment: datetime) -> date:
    """The Shanghai date of an aware instant."""
    return moment.astimezone(SHANGHAI).date()


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def end_of_day(day: date) -> datetime:
    """The instant the Shanghai day ends: a deadline on that day is met before it."""
    return start_of_day(day + timedelta(days=1))


def display(moment: datetime) -> str:
    """An instant as people in Shanghai read it (messages, notifications)."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
