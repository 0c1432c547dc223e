from server.jobs import job
from server.services.surveys import privacy


@job("default")
def mix_due():
    """Shuffle the ballots of surveys that received new ones (periodic; see privacy.py).
    Announcing a survey and building an export run through the outbox."""
    return privacy.mix_due()
