"""RQ job functions: small, module level, each tagged with its queue.

Jobs run inside the app of the process that runs them: `flask rq worker` provides it, so jobs
share the app's settings. Each job gets an app context of its own, hence a database session of
its own that is removed afterwards. Jobs are idempotent: running one twice changes nothing the
second time; the services they call make sure of it.
"""
import functools

from flask import current_app

from server.extensions import db


def job(queue):
    def decorate(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            try:
                app = current_app._get_current_object()
            except RuntimeError:
                raise RuntimeError("Jobs run inside the app: start workers with "
                                   "`flask rq worker`, not `rq worker`") from None
            with app.app_context():
                try:
                    return fn(*args, **kwargs)
                finally:
                    db.session.remove()

        run.queue = queue
        return run

    return decorate
