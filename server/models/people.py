"""Residents, staff, memberships and login sessions."""
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import UTCDateTime, utcnow

ROLES = ("committee", "street", "district", "city")
# The org level a staff role must be scoped to.
ROLE_LEVEL = {"committee": "residential_area", "street": "street",
              "district": "district", "city": "city"}
# "revoked": approved, then ended by the committee (a wrong approval, a resident who moved).
MEMBERSHIP_STATUSES = ("pending", "approved", "rejected", "left", "revoked")


class Resident(db.Model):
    __tablename__ = "residents"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The openid is an identifier WeChat gives us for this app; it never leaves the server.
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    unionid: Mapped[str | None] = mapped_column(String(64))
    nickname: Mapped[str] = mapped_column(String(40), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_login_at = mapped_column(UTCDateTime)

    memberships = relationship("Membership", back_populates="resident",
                               foreign_keys="Membership.resident_id",
                               order_by="Membership.id.desc()")


class Staff(db.Model):
    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint("role IN ('committee','street','district','city')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))
    scope_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # The WeChat account bound once with the password (POST /auth/staff-bind), so the staff
    # workbench opens without it. Like a resident's openid, it never leaves the server.
    wechat_openid: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    scope_unit = relationship("OrgUnit")


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint("status IN ('pending','approved','rejected','left','revoked')",
                        name="status"),
        # A resident has at most one live (pending or approved) membership: enforced by the
        # database so two taps at once cannot create two.
        Index("uq_memberships_one_live", "resident_id", unique=True,
              sqlite_where=text("status IN ('pending','approved')"),
              postgresql_where=text("status IN ('pending','approved')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    building: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(20), default="")
    room: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"))
    applied_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at = mapped_column(UTCDateTime)
    left_at = mapped_column(UTCDateTime)

    resident = relationship("Resident", back_populates="memberships", foreign_keys=[resident_id])
    community = relationship("Community")
    household = relationship("Household")
    decided_by = relationship("Staff")


class AuthSession(db.Model):
    """A login. The token carries only this row's random id, signed; revoking the row (logout,
    staff deactivation) kills the token before it expires."""

    __tablename__ = "auth_sessions"
    __table_args__ = (
        CheckConstraint("(resident_id IS NULL) <> (staff_id IS NULL)", name="one_principal"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    # How the login was proven: "wechat", "password" or "dev". Unbinding a staff member's
    # WeChat (a lost phone) revokes the "wechat" ones.
    method: Mapped[str] = mapped_column(String(20), default="password", server_default="password")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    revoked_at = mapped_column(UTCDateTime)

    resident = relationship("Resident")
    staff = relationship("Staff")
