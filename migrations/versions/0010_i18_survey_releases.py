"""Survey figures are released in steps: one release row per survey and community, and
comments released in batches.

Revision ID: 0010_i18_survey_releases
Revises: 0009_i15_unlinkable_ballots
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_i18_survey_releases"
down_revision = "0009_i15_unlinkable_ballots"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_releases",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("ballots", sa.Integer(), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["communities.id"],
                                name=op.f("fk_survey_releases_community_id_communities")),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"],
                                name=op.f("fk_survey_releases_survey_id_surveys"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("survey_id", "community_id", name=op.f("pk_survey_releases")),
    )
    with op.batch_alter_table("survey_comments", schema=None,
                              table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.add_column(sa.Column("released", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("survey_comments", schema=None,
                              table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.alter_column("released", server_default=None)


def downgrade():
    with op.batch_alter_table("survey_comments", schema=None,
                              table_kwargs={"sqlite_with_rowid": False}) as batch_op:
        batch_op.drop_column("released")
    op.drop_table("survey_releases")
