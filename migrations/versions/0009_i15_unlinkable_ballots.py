"""Ballots keep nothing the identity side also knows (building, day, duration, 代填 mark, the
too-fast flag); survey comments carry their check's outcome so the check row - which knows
the author - can go; a content check may lose its author; flagged ballots count by default.

Revision ID: 0009_i15_unlinkable_ballots
Revises: 0008_staff_wechat
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_i15_unlinkable_ballots"
down_revision = "0009_i17_eligibility"
branch_labels = None
depends_on = None

DROPPED = ("building", "answered_on", "duration_seconds", "assisted", "too_fast")


def upgrade():
    # table_kwargs: SQLite's batch mode rebuilds the table, and it must stay WITHOUT ROWID.
    with op.batch_alter_table("survey_ballots", schema=None,
                              table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        for column in DROPPED:
            batch_op.drop_column(column)
    # Comments, too, must not sit in insertion order on SQLite: rebuilt WITHOUT ROWID.
    with op.batch_alter_table("survey_comments", schema=None, recreate="always",
                              table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=20), nullable=False,
                                      server_default="shown"))
        batch_op.create_check_constraint(
            op.f("ck_survey_comments_status"), "status IN ('pending','shown','held','rejected')")
    with op.batch_alter_table("survey_comments", schema=None,
                              table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.alter_column("status", server_default=None)
    # Comments whose check has not answered yet stay pending; held ones wait for review.
    op.execute("UPDATE survey_comments SET status = 'pending' WHERE content_check_id IN "
               "(SELECT id FROM content_checks WHERE status = 'pending')")
    op.execute("UPDATE survey_comments SET status = 'held' WHERE content_check_id IN "
               "(SELECT id FROM content_checks WHERE status = 'risky')")
    op.execute("UPDATE survey_comments SET status = 'rejected' WHERE content_check_id IN "
               "(SELECT id FROM content_checks WHERE status = 'rejected')")
    with op.batch_alter_table("content_checks", schema=None) as batch_op:
        batch_op.alter_column("author_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("DELETE FROM content_checks WHERE author_id IS NULL AND id NOT IN "
               "(SELECT content_check_id FROM survey_comments WHERE content_check_id IS NOT NULL)")
    op.execute("UPDATE survey_comments SET content_check_id = NULL WHERE content_check_id IN "
               "(SELECT id FROM content_checks WHERE author_id IS NULL)")
    op.execute("DELETE FROM content_checks WHERE author_id IS NULL")
    with op.batch_alter_table("content_checks", schema=None) as batch_op:
        batch_op.alter_column("author_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("survey_comments", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_survey_comments_status"), type_="check")
        batch_op.drop_column("status")
    with op.batch_alter_table("survey_ballots", schema=None,
                              table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.add_column(sa.Column("building", sa.String(length=40), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("answered_on", sa.Date(), nullable=False,
                                      server_default="2000-01-01"))
        batch_op.add_column(sa.Column("duration_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("assisted", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("too_fast", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
