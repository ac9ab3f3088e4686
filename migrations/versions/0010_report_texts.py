"""Report texts: the text fields of a team's report per period, each save a new version

Revision ID: 0010_report_texts
Revises: 0009_encrypted_reasons
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_report_texts"
down_revision = "0009_encrypted_reasons"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_texts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("field", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("written_by", sa.String(length=36), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_report_texts_team_id_teams")),
        sa.ForeignKeyConstraint(["written_by"], ["users.id"], name=op.f("fk_report_texts_written_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_texts")),
    )
    with op.batch_alter_table("report_texts", schema=None) as batch_op:
        batch_op.create_index("ix_report_texts_team_period", ["team_id", "period_start", "period_end"], unique=False)


def downgrade():
    with op.batch_alter_table("report_texts", schema=None) as batch_op:
        batch_op.drop_index("ix_report_texts_team_period")
    op.drop_table("report_texts")
