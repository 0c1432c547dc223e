from server.jobs import job
from server.services import holiday_notices

# Recomputing provisional deadlines after a load is an outbox kind ("holidays.recompute"), run
# by the outbox itself (server/services/outbox.py), not a job of its own.


@job("default")
def warn_missing():
    """From 1 November, tell the city office daily that next year's holidays are missing."""
    return holiday_notices.warn_missing()
