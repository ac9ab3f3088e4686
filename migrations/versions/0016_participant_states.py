"""State projection: each participant's folded state, read by the team pages instead of the log

Revision ID: 0016_participant_states
Revises: 0015_projection

One row per participant with events (`casework.events.projection`). Made here from the log as it
stands, so the pages show the same after the upgrade; `casework participants rebuild-states` makes
it anew.
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_participant_states"
down_revision = "0015_projection"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "participant_states",
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"],
                                name=op.f("fk_participant_states_participant_id_participants")),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_participant_states")),
    )
    from casework.events.projection import rebuild_states

    rebuild_states(connection=op.get_bind())


def downgrade():
    op.drop_table("participant_states")
