"""Merge the three branches that grew from 0002 in parallel: surveys, reports, scoring.

Revision ID: 0006_merge
Revises: 0003_surveys, 0004_reports, 0005_scoring
"""

revision = "0006_merge"
down_revision = ("0003_surveys", "0004_reports", "0005_scoring")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
