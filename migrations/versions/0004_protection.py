"""Data protection: erasure ledger, legal holds, rectification history

Revision ID: 0002_protection
Revises: 0002_schedule
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_protection"
down_revision = "0002_schedule"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "erasure_ledger",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.Column("erased_by_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_ledger")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_erasure_ledger_participant_id")),
    )
    with op.batch_alter_table("erasure_ledger", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasure_ledger_team_id"), ["team_id"], unique=False)

    op.create_table(
        "legal_holds",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by_id", sa.String(length=36), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"],
                                name=op.f("fk_legal_holds_participant_id_participants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legal_holds_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "personal_history",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("participant_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("value_enc", sa.LargeBinary(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"],
                                name=op.f("fk_personal_history_participant_id_participants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_history")),
    )
    with op.batch_alter_table("personal_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_personal_history_participant_id"), ["participant_id"], unique=False)


def downgrade():
    with op.batch_alter_table("personal_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_history_participant_id"))
    op.drop_table("personal_history")
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_holds_participant_id"))
    op.drop_table("legal_holds")
    with op.batch_alter_table("erasure_ledger", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_ledger_team_id"))
    op.drop_table("erasure_ledger")
