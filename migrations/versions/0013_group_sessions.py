"""Group sessions: the one record behind the attendees' `activity` events

Revision ID: 0013_group_sessions
Revises: 0012_report_history

Attendance, hours and the note live in the attendees' events (DOMAIN.md §2 `group_session`).
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_group_sessions"
down_revision = "0012_report_history"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "group_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ext_id", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("leader_id", sa.String(length=36), nullable=True),
        sa.Column("recorded_by_id", sa.String(length=36), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_group_sessions_team_id_teams")),
        sa.ForeignKeyConstraint(["leader_id"], ["users.id"], name=op.f("fk_group_sessions_leader_id_users")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"],
                                name=op.f("fk_group_sessions_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_sessions")),
        sa.UniqueConstraint("team_id", "ext_id", name=op.f("uq_group_sessions_team_id_ext_id")),
    )
    with op.batch_alter_table("group_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_group_sessions_team_date", ["team_id", "date"], unique=False)


def downgrade():
    with op.batch_alter_table("group_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_group_sessions_team_date")
    op.drop_table("group_sessions")
