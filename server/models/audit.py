"""The append-only audit log of staff actions.

Append-only is enforced twice: the ORM refuses to update or delete a row, and the migration
installs a database trigger that refuses UPDATE and DELETE, so raw SQL cannot rewrite history
either.
"""
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.base import AppendOnlyError, UTCDateTime, append_only, utcnow

__all__ = ["AppendOnlyError", "AuditLog"]


@append_only
class AuditLog(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    # "cli" for commands run by an operator, "staff" for staff, "system" for jobs.
    actor_kind: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64))
    before = mapped_column(JSON)
    after = mapped_column(JSON)
    ip: Mapped[str] = mapped_column(String(64), default="")
