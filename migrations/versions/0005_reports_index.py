"""Index for reports: (team, type, date, participant) on events

Revision ID: 0003_reports_index
Revises: 0002_protection
"""
from alembic import op

revision = "0003_reports_index"
down_revision = "0002_protection"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_team_type_date_participant", ["team_id", "type", "date", "participant_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_team_type_date_participant")
