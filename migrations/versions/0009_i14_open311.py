"""Open311 partner systems (hashed API keys) and reports filed by them: a report has either a
resident reporter or a partner, and the partner's token.

Revision ID: 0009_i14_open311
Revises: 0008_staff_wechat
"""
from alembic import op
import sqlalchemy as sa


revision = "0009_i14_open311"
down_revision = "0009_i11_staff_notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "open311_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=8), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["issued_by_id"], ["staff.id"],
                                name=op.f("fk_open311_partners_issued_by_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_partners")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_open311_partners_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_open311_partners_name")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("partner_token", sa.String(length=36), nullable=True))
        batch_op.alter_column("reporter_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_reports_partner_id"), ["partner_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_reports_partner_token"),
                                          ["partner_token"])
        batch_op.create_foreign_key(batch_op.f("fk_reports_partner_id_open311_partners"),
                                    "open311_partners", ["partner_id"], ["id"])
        batch_op.create_check_constraint(
            "one_source", "(reporter_id IS NULL) <> (partner_id IS NULL)")


def downgrade():
    # Refuses (NOT NULL) while partner-filed reports exist: they would lose their source.
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reports_one_source"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_reports_partner_id_open311_partners"),
                                 type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_reports_partner_token"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_reports_partner_id"))
        batch_op.alter_column("reporter_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("partner_token")
        batch_op.drop_column("partner_id")
    op.drop_table("open311_partners")
