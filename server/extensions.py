"""Extension objects. Built empty at import time; bound to an app only in init_app."""
from flask.globals import _cv_app, _cv_request
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic migrations work the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class _Api(Api):
    # flask-smorest documents a default error response on every operation; make it ours.
    from server.schemas.common import Error as ERROR_SCHEMA  # noqa: N811


def _session_scope():
    # One session per request even when several requests share an app context (the test
    # client inside a test's app context does): a request never sees another's unflushed state.
    request_ctx = _cv_request.get(None)
    if request_ctx is not None:
        return id(request_ctx)
    return id(_cv_app.get())


db = SQLAlchemy(model_class=Base, session_options={"scopefunc": _session_scope})
migrate = Migrate()
api = _Api()
