"""Imported history: aggregate figures of periods before a team used Casework

Revision ID: 0012_report_history
Revises: 0011_settings_history

One row per team and period, from the `history` lines of the exchange format (DOMAIN.md §6).
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_report_history"
down_revision = "0011_settings_history"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_history",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_report_history_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_history")),
        sa.UniqueConstraint("team_id", "period_start", "period_end",
                            name=op.f("uq_report_history_team_id_period_start_period_end")),
    )
    with op.batch_alter_table("report_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_history_team_id"), ["team_id"], unique=False)


def downgrade():
    with op.batch_alter_table("report_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_history_team_id"))
    op.drop_table("report_history")
