from server.jobs import job
from server.services import holiday_notices
from server.services.reports import sla


@job("default")
def recompute(year=None):
    """A year's holidays were loaded: count every provisional deadline again."""
    return sla.recompute_provisional()


@job("default")
def warn_missing():
    """From 1 November, tell the city office daily that next year's holidays are missing."""
    return holiday_notices.warn_missing()
