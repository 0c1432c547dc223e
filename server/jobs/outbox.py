from server.jobs import job
from server.services import outbox


@job("default")
def relay():
    """Move unsent outbox rows to their queues (periodic, and kicked after commits)."""
    return outbox.relay()
