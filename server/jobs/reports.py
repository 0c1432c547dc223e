from server.jobs import job
from server.services.reports import sla, workflow


@job("default")
def sla_scan():
    """Mark reports past a working-day deadline overdue and raise them to the street."""
    return sla.scan()


@job("default")
def auto_close():
    """Close resolved reports their reporter did not rate within REPORT_RATING_DAYS days."""
    return workflow.auto_close()
