from server.jobs import job
from server.services.scoring import compute


@job("scoring")
def recompute(community_ids=None, reason="requested"):
    """Recompute the scores of some communities (all when None); writes only what changed."""
    return compute.recompute(community_ids, reason)


@job("scoring")
def nightly():
    """Every community's score, every night: inputs that changed without a trigger (a survey
    aging out of the window, a deadline passing) are caught here."""
    return compute.recompute(None, "nightly")
