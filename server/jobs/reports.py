from server.jobs import job
from server.services.reports import sla


@job("default")
def sla_scan():
    """Mark reports past a working-day deadline overdue and raise them to the street."""
    return sla.scan()


@job("default")
def auto_close():
    """Close resolved reports their reporter did not rate within REPORT_RATING_DAYS days."""
    return sla.auto_close()
