"""Account deletion (PIPL): a report outlives its resident author (`reporter_erased`, and the
one-source check allows neither source once the author is erased); a volunteer supervisor's
inspections outlive the volunteer (resident_id nullable).

Revision ID: 0011_i13_pipl_erasure
Revises: 0010_i14_field_inspections
"""
from alembic import op
import sqlalchemy as sa


revision = "0011_i13_pipl_erasure"
down_revision = "0010_i14_field_inspections"
branch_labels = None
depends_on = None

ONE_SOURCE = "(reporter_id IS NULL) <> (partner_id IS NULL)"
ONE_SOURCE_OR_ERASED = (f"{ONE_SOURCE} OR (reporter_id IS NULL AND partner_id IS NULL "
                        "AND reporter_erased)")


def upgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reporter_erased", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.drop_constraint(op.f("ck_reports_one_source"), type_="check")
        batch_op.create_check_constraint("one_source", ONE_SOURCE_OR_ERASED)
    with op.batch_alter_table("volunteer_supervisors", schema=None) as batch_op:
        batch_op.alter_column("resident_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    # Refuses while erased authors' reports or volunteers exist: they have no one to point at.
    with op.batch_alter_table("volunteer_supervisors", schema=None) as batch_op:
        batch_op.alter_column("resident_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reports_one_source"), type_="check")
        batch_op.create_check_constraint("one_source", ONE_SOURCE)
        batch_op.drop_column("reporter_erased")
