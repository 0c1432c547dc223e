"""The outbox row becomes the truth about its work: a state (pending, enqueued, running, done,
failed), a due time for spaced retries and a lease, instead of a bare `sent_at` flag.

Rows sent in the last day become `enqueued` with a lapsed lease, so the reconciler checks each
against Redis and runs again whatever was lost (every job is idempotent); older sent rows are
taken as done.

Revision ID: 0009_i21_outbox_states
Revises: 0008_staff_wechat
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

revision = "0009_i21_outbox_states"
down_revision = "0009_i19_sessions"
branch_labels = None
depends_on = None

STATES = "state IN ('pending','enqueued','running','done','failed')"


def upgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        for name in ("lease_until", "enqueued_at", "started_at", "finished_at"):
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    recent = datetime.now(timezone.utc) - timedelta(days=1)
    op.execute(sa.text("UPDATE outbox SET state = 'pending', due_at = created_at "
                       "WHERE sent_at IS NULL"))
    op.execute(sa.text("UPDATE outbox SET state = 'enqueued', due_at = created_at, "
                       "enqueued_at = sent_at, lease_until = sent_at "
                       "WHERE sent_at IS NOT NULL AND sent_at >= :recent").bindparams(
        recent=recent))
    op.execute(sa.text("UPDATE outbox SET state = 'done', due_at = created_at, "
                       "enqueued_at = sent_at, finished_at = sent_at "
                       "WHERE sent_at IS NOT NULL AND sent_at < :recent").bindparams(
        recent=recent))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("state", existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column("due_at", existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.create_check_constraint("state", STATES)
        batch_op.drop_index("ix_outbox_unsent")
        batch_op.drop_column("sent_at")
        batch_op.create_index("ix_outbox_state_due", ["state", "due_at"], unique=False)
        batch_op.create_index("ix_outbox_state_lease", ["state", "lease_until"], unique=False)


def downgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(sa.text("UPDATE outbox SET sent_at = COALESCE(enqueued_at, finished_at) "
                       "WHERE state <> 'pending'"))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state_lease")
        batch_op.drop_index("ix_outbox_state_due")
        batch_op.drop_constraint("state", type_="check")
        for name in ("finished_at", "started_at", "enqueued_at", "lease_until", "due_at",
                     "state"):
            batch_op.drop_column(name)
        batch_op.create_index("ix_outbox_unsent", ["sent_at", "id"], unique=False)
