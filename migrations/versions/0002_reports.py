"""Frozen report snapshots

Revision ID: 0002_reports
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_reports"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_snapshots",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("period_name", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_report_snapshots_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_snapshots")),
        sa.UniqueConstraint("team_id", "period_start", "period_end",
                            name=op.f("uq_report_snapshots_team_id_period_start_period_end")),
    )
    with op.batch_alter_table("report_snapshots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_snapshots_team_id"), ["team_id"], unique=False)


def downgrade():
    with op.batch_alter_table("report_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_snapshots_team_id"))
    op.drop_table("report_snapshots")
