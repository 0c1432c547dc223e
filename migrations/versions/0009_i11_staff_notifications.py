"""The staff console's inbox: one row per staff recipient of a message about their work.

Revision ID: 0009_i11_staff_notifications
Revises: 0008_staff_wechat
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_i11_staff_notifications"
down_revision = "0009_i21_outbox_states"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "staff_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("body", sa.String(length=500), nullable=False),
        sa.Column("link", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"],
                                name="fk_staff_notifications_staff_id_staff"),
        sa.PrimaryKeyConstraint("id", name="pk_staff_notifications"),
    )
    op.create_index("ix_staff_notifications_inbox", "staff_notifications",
                    ["staff_id", "read_at", "created_at"])


def downgrade():
    op.drop_index("ix_staff_notifications_inbox", table_name="staff_notifications")
    op.drop_table("staff_notifications")
