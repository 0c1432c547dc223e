"""The audit log is append-only, down to the database."""
import pytest
import sqlalchemy as sa

from server.models import AuditLog
from server.models.audit import AppendOnlyError
from tests.builders import make_staff


def test_the_orm_refuses_to_change_an_entry(org, db):
    make_staff("street", "XH-TP")
    entry = db.session.execute(db.select(AuditLog)).scalar_one()
    entry.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'x'",
                                       "DELETE FROM audit_log"])
def test_the_database_refuses_raw_updates_and_deletes(org, db, statement):
    make_staff("street", "XH-TP")
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with db.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert db.session.execute(db.select(AuditLog.action)).scalar_one() == "staff.create"
