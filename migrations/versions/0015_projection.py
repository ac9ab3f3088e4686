"""Report projection: each participant's facts and path, read by reports instead of the log

Revision ID: 0015_projection
Revises: 0014_organisation

One row per participant (`casework.reports.projection`). Made here from the log as it stands, so
reports read the same figures after the upgrade; `casework reports rebuild` makes it anew.
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_projection"
down_revision = "0014_organisation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_paths",
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("gender", sa.String(length=16), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("education", sa.String(length=32), nullable=False),
        sa.Column("support_months_before", sa.Integer(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"],
                                name=op.f("fk_report_paths_participant_id_participants")),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_report_paths_team_id_teams")),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_report_paths")),
    )
    op.create_index("ix_report_paths_team_last_day", "report_paths", ["team_id", "last_day"])
    from casework.reports.projection import rebuild

    rebuild(connection=op.get_bind())


def downgrade():
    op.drop_index("ix_report_paths_team_last_day", table_name="report_paths")
    op.drop_table("report_paths")
