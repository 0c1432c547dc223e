"""Column helpers shared by the domain models."""
from datetime import datetime, timezone

from sqlalchemy import DateTime, event
from sqlalchemy.types import TypeDecorator


def utcnow():
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes on every backend: SQLite forgets the offset, so store UTC and
    hand back aware values, which the API renders as ISO 8601 with an offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class AppendOnlyError(RuntimeError):
    """Someone tried to change or remove a row of an append-only table."""


# Tables whose rows are never changed or removed; `flask db-roles` withholds UPDATE and
# DELETE on them from the app's database role.
APPEND_ONLY_TABLES = set()


def append_only(model):
    """Make the ORM refuse to update or delete rows of `model` (a class decorator). The
    migrations add database triggers where raw SQL must be refused too."""
    table = model.__tablename__
    APPEND_ONLY_TABLES.add(table)

    def refuse(mapper, connection, target):
        raise AppendOnlyError(f"{table} is append-only")

    event.listen(model, "before_update", refuse)
    event.listen(model, "before_delete", refuse)
    return model
