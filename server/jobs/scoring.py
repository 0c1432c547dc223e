from server.jobs import job
from server.services.scoring import compute


@job("scoring")
def nightly():
    """Every community's score, every night: inputs that changed without a trigger (a survey
    aging out of the window, a deadline passing) are caught here. Recomputes asked for by a
    change run through the outbox (kind scoring.recompute)."""
    return compute.recompute(None, "nightly")
