"""Reports accept an Idempotency-Key: the hash of the reporter's key, unique per reporter, so
a phone's retried filing returns the first report instead of filing a duplicate.

Revision ID: 0007_report_idempotency
Revises: 0006_merge
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_report_idempotency"
down_revision = "0006_merge"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_reports_reporter_id_idempotency_hash",
                                          ["reporter_id", "idempotency_hash"])


def downgrade():
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_constraint("uq_reports_reporter_id_idempotency_hash", type_="unique")
        batch_op.drop_column("idempotency_hash")
