"""Organisation records: staff periods, budget lines, meetings and their changes

Revision ID: 0014_organisation
Revises: 0013_group_sessions

The organisation side of a team's report (DOMAIN.md §3 `staff`, `economy`, `meetings`; §6 lines).
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_organisation"
down_revision = "0013_group_sessions"
branch_labels = None
depends_on = None

TABLES = ("organisation_staff", "organisation_budget_lines", "organisation_meetings", "organisation_changes")


def _id_and_team(table: str) -> list:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("team_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f(f"fk_{table}_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade():
    op.create_table(
        "organisation_staff", *_id_and_team("organisation_staff"),
        sa.Column("staff_ref", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("employer", sa.String(length=20), nullable=False),
        sa.Column("extent_percent", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.UniqueConstraint("team_id", "staff_ref", "start_date",
                            name=op.f("uq_organisation_staff_team_id_staff_ref_start_date")),
    )
    op.create_table(
        "organisation_budget_lines", *_id_and_team("organisation_budget_lines"),
        sa.Column("line", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("decided", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.BigInteger(), nullable=True),
        sa.Column("forecast", sa.BigInteger(), nullable=True),
        sa.UniqueConstraint("team_id", "line", "start_date", "end_date",
                            name=op.f("uq_organisation_budget_lines_team_id_line_start_date_end_date")),
    )
    op.create_table(
        "organisation_meetings", *_id_and_team("organisation_meetings"),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.UniqueConstraint("team_id", "date", "kind", name=op.f("uq_organisation_meetings_team_id_date_kind")),
    )
    op.create_table(
        "organisation_changes", *_id_and_team("organisation_changes"),
        sa.Column("record_kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_id", sa.String(length=36), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["changed_by_id"], ["users.id"], name=op.f("fk_organisation_changes_changed_by_id_users"),
                                ondelete="SET NULL"),
    )
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_team_id"), ["team_id"], unique=False)
    with op.batch_alter_table("organisation_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_changes_record_id"), ["record_id"], unique=False)


def downgrade():
    with op.batch_alter_table("organisation_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_changes_record_id"))
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_team_id"))
        op.drop_table(table)
