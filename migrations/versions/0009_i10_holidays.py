"""Holidays as data: loaded years of the State Council's schedule; reports whose deadlines
were counted on weekends alone (provisional); a minimal inbox for staff.

Revision ID: 0009_i10_holidays
Revises: 0008_staff_wechat
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_i10_holidays"
down_revision = "0008_staff_wechat"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "holiday_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=60), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("workdays", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by_id", sa.Integer(), nullable=True),
        sa.Column("loaded_via", sa.String(length=10), nullable=False),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_holiday_years_year")),
        sa.ForeignKeyConstraint(["loaded_by_id"], ["staff.id"],
                                name=op.f("fk_holiday_years_loaded_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_years")),
        sa.UniqueConstraint("year", name=op.f("uq_holiday_years_year")),
    )
    with op.batch_alter_table("holiday_years", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holiday_years_revision"), ["revision"],
                              unique=False)
    op.create_table(
        "staff_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("body", sa.String(length=500), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"],
                                name=op.f("fk_staff_notices_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_notices")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_staff_notices_dedupe_key")),
    )
    with op.batch_alter_table("staff_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_notices_staff_id"), ["staff_id"],
                              unique=False)
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadlines_provisional", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("deadlines_provisional")
    with op.batch_alter_table("staff_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_notices_staff_id"))
    op.drop_table("staff_notices")
    with op.batch_alter_table("holiday_years", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holiday_years_revision"))
    op.drop_table("holiday_years")
