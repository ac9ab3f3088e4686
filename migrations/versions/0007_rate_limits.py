"""Rate limits: fixed-window counters shared by every worker (sign-in, second factor, tokens, feed)

Revision ID: 0007_rate_limits
Revises: 0006_auth_hardening
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_rate_limits"
down_revision = "0006_auth_hardening"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("rate_limit_counters",
    sa.Column("key", sa.String(length=255), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("count", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_counters"))
    )
    with op.batch_alter_table("rate_limit_counters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rate_limit_counters_expires_at"), ["expires_at"], unique=False)


def downgrade():
    with op.batch_alter_table("rate_limit_counters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_limit_counters_expires_at"))
    op.drop_table("rate_limit_counters")
