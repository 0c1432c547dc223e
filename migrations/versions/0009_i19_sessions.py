"""Sessions remember how they were opened (so unbinding WeChat ends the WeChat ones); a
committee can revoke an approved residency (status "revoked"); the lockout counters move to
Redis (atomic INCR), so the staff columns for them go.

Revision ID: 0009_i19_sessions
Revises: 0008_staff_wechat
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_i19_sessions"
down_revision = "0010_i18_survey_releases"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('pending','approved','rejected','left')"
NEW_STATUSES = "status IN ('pending','approved','rejected','left','revoked')"


def upgrade():
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("failed_logins")
        batch_op.drop_column("locked_until")
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("method", sa.String(length=20), nullable=False,
                                      server_default="password"))
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_memberships_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_memberships_status"), NEW_STATUSES)


def downgrade():
    op.execute("UPDATE memberships SET status = 'left' WHERE status = 'revoked'")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_memberships_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_memberships_status"), OLD_STATUSES)
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_column("method")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True),
                                      nullable=True))
