"""Requests and a database connection that goes away (a failover, a restart, an operator's
pg_terminate_backend) or a statement that runs too long.

- The session's teardown never raises: rolling back on a dead connection fails, and an
  exception there would reach gunicorn, which answers with its own HTML page.
- A request that lost its connection, or whose statement hit DB_STATEMENT_TIMEOUT_MS, gets a
  JSON 503 in the error shape; the phone retries, and a write that did commit is found again
  by its Idempotency-Key (reports, survey answers).
- On PostgreSQL, statements run for a request are cancelled after DB_STATEMENT_TIMEOUT_MS, so
  one bad query cannot hold a gunicorn thread; jobs and commands are not limited.
"""
import logging

from flask import current_app, has_request_context
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.pool import Pool

from server.errors import error_response, handle_unexpected
from server.extensions import db

log = logging.getLogger(__name__)
_TIMEOUT_KEY = "civic.statement_timeout"


def remove_request_session(exc):
    try:
        db.session.remove()
    except Exception as error:  # noqa: BLE001 - a teardown must never raise
        log.warning("Could not close a request's database session (connection lost?): %s",
                    error)
        # remove() stops at the failed close; forget the session anyway, it is unusable.
        db.session.registry.clear()


def _database_unavailable(err):
    if not _is_connection_problem(err):
        return handle_unexpected(err)  # any other database error is a bug: logged, a 500
    log.warning("Database unavailable: %s", err.__class__.__name__)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the teardown drops the session
        pass
    return error_response(503, "database_unavailable", "数据库暂时不可用，请稍后重试",
                          headers={"Retry-After": "1"})


def _is_connection_problem(err):
    # OperationalError covers a lost connection and a cancelled statement (statement
    # timeout); connection_invalidated is SQLAlchemy's own verdict on a disconnect.
    return (isinstance(err, (sa_exc.OperationalError, sa_exc.InterfaceError))
            or getattr(err, "connection_invalidated", False))


@event.listens_for(Pool, "checkout")
def _statement_timeout(dbapi_connection, record, proxy):
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    ms = 0
    if has_request_context():
        ms = int(current_app.config.get("DB_STATEMENT_TIMEOUT_MS", 0))
    if record.info.get(_TIMEOUT_KEY) == ms:
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"SET statement_timeout = {ms}")
    finally:
        cursor.close()
    # SET inside a transaction that later rolls back would be undone: commit it on its own.
    dbapi_connection.commit()
    record.info[_TIMEOUT_KEY] = ms


def init_app(app):
    app.teardown_request(remove_request_session)
    for error_class in (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DBAPIError):
        app.register_error_handler(error_class, _database_unavailable)
