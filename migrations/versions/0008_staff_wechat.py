"""Staff may bind one WeChat account (its openid, unique) to sign in without the password.

Revision ID: 0008_staff_wechat
Revises: 0007_report_idempotency
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_staff_wechat"
down_revision = "0007_report_idempotency"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wechat_openid", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_staff_wechat_openid", ["wechat_openid"])


def downgrade():
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_constraint("uq_staff_wechat_openid", type_="unique")
        batch_op.drop_column("wechat_openid")
