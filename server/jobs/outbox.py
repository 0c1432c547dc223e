from server.jobs import job
from server.services import outbox, outbox_run


@job("default")
def run(outbox_id):
    """Do the work one outbox row promised (each kind on its own queue, see outbox.KINDS)."""
    return outbox_run.run(outbox_id)


@job("default")
def relay():
    """Enqueue due outbox rows and take back lapsed ones (periodic, kicked after commits,
    and when a worker starts)."""
    return outbox.relay()
