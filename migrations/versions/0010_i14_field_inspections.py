"""Volunteer supervisors and their sampled field-inspection checklists.

Revision ID: 0010_i14_field_inspections
Revises: 0009_i14_open311
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_i14_field_inspections"
down_revision = "0009_i14_open311"
branch_labels = None
depends_on = None

LIVE = "status IN ('pending','approved')"


def upgrade():
    op.create_table(
        "volunteer_supervisors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending','approved','rejected','withdrawn')",
                           name=op.f("ck_volunteer_supervisors_status")),
        sa.ForeignKeyConstraint(["community_id"], ["communities.id"],
                                name=op.f("fk_volunteer_supervisors_community_id_communities")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["staff.id"],
                                name=op.f("fk_volunteer_supervisors_decided_by_id_staff")),
        sa.ForeignKeyConstraint(["resident_id"], ["residents.id"],
                                name=op.f("fk_volunteer_supervisors_resident_id_residents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_supervisors")),
    )
    with op.batch_alter_table("volunteer_supervisors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_volunteer_supervisors_community_id"),
                              ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_volunteer_supervisors_resident_id"),
                              ["resident_id"], unique=False)
        batch_op.create_index("uq_volunteer_supervisors_one_live", ["resident_id"], unique=True,
                              sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
    op.create_table(
        "field_inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("drawn_by_id", sa.Integer(), nullable=False),
        sa.Column("seed", sa.String(length=40), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('assigned','submitted')",
                           name=op.f("ck_field_inspections_status")),
        sa.ForeignKeyConstraint(["community_id"], ["communities.id"],
                                name=op.f("fk_field_inspections_community_id_communities")),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"],
                                name=op.f("fk_field_inspections_cycle_id_cycles")),
        sa.ForeignKeyConstraint(["drawn_by_id"], ["staff.id"],
                                name=op.f("fk_field_inspections_drawn_by_id_staff")),
        sa.ForeignKeyConstraint(
            ["volunteer_id"], ["volunteer_supervisors.id"],
            name=op.f("fk_field_inspections_volunteer_id_volunteer_supervisors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_inspections")),
    )
    with op.batch_alter_table("field_inspections", schema=None) as batch_op:
        for column in ("community_id", "cycle_id", "volunteer_id"):
            batch_op.create_index(batch_op.f(f"ix_field_inspections_{column}"), [column],
                                  unique=False)
    op.create_table(
        "field_inspection_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("point", sa.String(length=60), nullable=False),
        sa.Column("indicator_code", sa.String(length=20), nullable=False),
        sa.Column("grade", sa.String(length=1), nullable=True),
        sa.Column("photo_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("graded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("grade IS NULL OR grade IN ('A','B','C')",
                           name=op.f("ck_field_inspection_items_grade")),
        sa.CheckConstraint("kind IN ('road','bin','fire_lane')",
                           name=op.f("ck_field_inspection_items_kind")),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["field_inspections.id"],
            name=op.f("fk_field_inspection_items_inspection_id_field_inspections")),
        sa.ForeignKeyConstraint(["photo_id"], ["photos.id"],
                                name=op.f("fk_field_inspection_items_photo_id_photos")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_inspection_items")),
        sa.UniqueConstraint("photo_id", name=op.f("uq_field_inspection_items_photo_id")),
    )
    with op.batch_alter_table("field_inspection_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_field_inspection_items_inspection_id"),
                              ["inspection_id"], unique=False)


def downgrade():
    op.drop_table("field_inspection_items")
    op.drop_table("field_inspections")
    op.drop_table("volunteer_supervisors")
