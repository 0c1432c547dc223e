"""Eligibility as the regulation has it (issue 17): veto events scoped to the residential area
and withdrawable, the creation start's source, the city quota, the city's stages as recorded
decisions, the title's life (kept, lapsed, lost), and notifications for staff.

Revision ID: 0009_i17_eligibility
Revises: 0008_staff_wechat
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_i17_eligibility"
down_revision = "0009_i10_holidays"
branch_labels = None
depends_on = None

OLD_STAGES = ("'not_participating','creating','self_assessed','applied','review_applied',"
              "'district_selected','city_assessed','consulted','named','not_named',"
              "'title_kept','title_lost'")
NEW_STAGES = ("'not_participating','creating','self_assessed','applied','review_applied',"
              "'district_selected','city_assessed','preliminary','consulted','formal_candidate',"
              "'approved','named','not_named','title_kept','title_lost'")


def upgrade():
    with op.batch_alter_table("veto_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("residential_area_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(length=10), nullable=False,
                                      server_default="active"))
        batch_op.add_column(sa.Column("withdrawn_reason", sa.String(length=300), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_veto_events_residential_area_id"),
                              ["residential_area_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_veto_events_residential_area_id_org_units"),
                                    "org_units", ["residential_area_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_veto_events_withdrawn_by_id_staff"),
                                    "staff", ["withdrawn_by_id"], ["id"])
        batch_op.create_check_constraint(batch_op.f("ck_veto_events_status"),
                                         "status IN ('active','withdrawn')")
    # Events already recorded under 第十条（一） concern their residential area.
    op.execute("UPDATE veto_events SET residential_area_id = (SELECT residential_area_id FROM "
               "communities WHERE communities.id = veto_events.community_id) "
               "WHERE kind = 'committee_misconduct'")
    with op.batch_alter_table("veto_events", schema=None) as batch_op:
        batch_op.alter_column("status", server_default=None)
        batch_op.alter_column("withdrawn_reason", server_default=None)

    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("city_quota", sa.Integer(), nullable=True))

    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("creation_source", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("creation_record", sa.String(length=300), nullable=False,
                                      server_default=""))
        batch_op.drop_constraint(batch_op.f("ck_participations_stage"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_participations_stage"),
                                         f"stage IN ({NEW_STAGES})")
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.alter_column("creation_record", server_default=None)

    with op.batch_alter_table("community_titles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kept_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("kept_in_cycle_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("end_reason", sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_community_titles_kept_in_cycle_id_cycles"),
                                    "cycles", ["kept_in_cycle_id"], ["id"])
        batch_op.create_check_constraint(
            batch_op.f("ck_community_titles_end_reason"),
            "end_reason IS NULL OR end_reason IN ('review_failed','lapsed')")
    # A title lost before this revision was lost on a failed re-examination.
    op.execute("UPDATE community_titles SET end_reason = 'review_failed' "
               "WHERE lost_on IS NOT NULL")

    op.create_table(
        "city_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("step IN ('preliminary','opinion','consulted','formal','approval',"
                           "'naming','not_named','re_examination')",
                           name=op.f("ck_city_decisions_step")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["staff.id"],
                                name=op.f("fk_city_decisions_decided_by_id_staff")),
        sa.ForeignKeyConstraint(["participation_id"], ["participations.id"],
                                name=op.f("fk_city_decisions_participation_id_participations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_decisions")),
    )
    with op.batch_alter_table("city_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_city_decisions_participation", ["participation_id", "id"],
                              unique=False)

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_id", sa.Integer(), nullable=True))
        batch_op.alter_column("resident_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_notifications_staff_id"), ["staff_id"],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_notifications_staff_id_staff"), "staff",
                                    ["staff_id"], ["id"])
        batch_op.create_check_constraint(batch_op.f("ck_notifications_one_recipient"),
                                         "(resident_id IS NULL) <> (staff_id IS NULL)")


def downgrade():
    op.execute("DELETE FROM notifications WHERE staff_id IS NOT NULL")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_notifications_one_recipient"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_notifications_staff_id_staff"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_notifications_staff_id"))
        batch_op.alter_column("resident_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("staff_id")

    with op.batch_alter_table("city_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_city_decisions_participation")
    op.drop_table("city_decisions")

    with op.batch_alter_table("community_titles", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_community_titles_end_reason"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_community_titles_kept_in_cycle_id_cycles"),
                                 type_="foreignkey")
        batch_op.drop_column("end_reason")
        batch_op.drop_column("kept_in_cycle_id")
        batch_op.drop_column("kept_on")

    # The old stage list has no room for the city's intermediate stages: back to city_assessed.
    op.execute("UPDATE participations SET stage = 'city_assessed' "
               "WHERE stage IN ('preliminary','formal_candidate','approved')")
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_participations_stage"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_participations_stage"),
                                         f"stage IN ({OLD_STAGES})")
        batch_op.drop_column("creation_record")
        batch_op.drop_column("creation_source")

    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.drop_column("city_quota")

    with op.batch_alter_table("veto_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_veto_events_status"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_veto_events_withdrawn_by_id_staff"),
                                 type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_veto_events_residential_area_id_org_units"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_veto_events_residential_area_id"))
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("withdrawn_by_id")
        batch_op.drop_column("withdrawn_reason")
        batch_op.drop_column("status")
        batch_op.drop_column("residential_area_id")
