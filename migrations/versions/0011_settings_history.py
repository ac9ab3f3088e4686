"""Team settings history, and the settings a frozen report was computed with

Revision ID: 0011_settings_history
Revises: 0010_report_texts

`team_settings_changes` keeps every change of a team's settings (when, by whom, before and
after). `report_snapshots.settings` keeps the settings each snapshot was frozen with; snapshots
frozen before this revision have none recorded (NULL): what they were computed with is not known.
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_settings_history"
down_revision = "0010_report_texts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("team_settings_changes",
    sa.Column("id", sa.String(length=36), nullable=False),
    sa.Column("team_id", sa.String(length=36), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("changed_by_id", sa.String(length=36), nullable=True),
    sa.Column("source", sa.String(length=20), nullable=False),
    sa.Column("before", sa.JSON(), nullable=True),
    sa.Column("after", sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(["changed_by_id"], ["users.id"], name=op.f("fk_team_settings_changes_changed_by_id_users"),
                            ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_team_settings_changes_team_id_teams")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_team_settings_changes"))
    )
    with op.batch_alter_table("team_settings_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_settings_changes_team_id"), ["team_id"], unique=False)
    with op.batch_alter_table("report_snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settings", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("report_snapshots", schema=None) as batch_op:
        batch_op.drop_column("settings")
    with op.batch_alter_table("team_settings_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_settings_changes_team_id"))
    op.drop_table("team_settings_changes")
