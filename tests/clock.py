"""Time in tests. "Today" is the Shanghai date, read through the product's own clock, never
`date.today()` (the machine's zone). A test that depends on the date freezes an instant that
carries its zone with `at(...)` (time-machine), so it means the same moment on any machine."""
from datetime import datetime

import time_machine

from server.services import clock


def shanghai_today():
    return clock.today()


def shanghai(year, month, day, hour=0, minute=0):
    """An aware instant on the Shanghai wall clock."""
    return datetime(year, month, day, hour, minute, tzinfo=clock.SHANGHAI)


def at(moment, tick=True):
    """Freeze (or, with tick, start) the clock at an aware instant: a context manager and a
    decorator. The machine's zone (TZ) is left alone, so the code must not lean on it."""
    assert moment.tzinfo is not None, "freeze an instant with its zone"
    return time_machine.travel(moment, tick=tick)
