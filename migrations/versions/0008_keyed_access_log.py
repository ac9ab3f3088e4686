"""Keyed access log: each entry's position and the id of the audit key that signs it

Revision ID: 0008_keyed_access_log
Revises: 0007_rate_limits

Entries already in the log keep their plain SHA-256 hashes, with `seq` and `key_id` NULL; the
first entry written after the upgrade is signed with the audit key and links to the last of
them, which `casework audit verify` accepts (see casework/audit/chain.py). After a downgrade the
keyed entries stay, but the older version's `audit verify` cannot check them and reports the
first of them as broken.
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_keyed_access_log"
down_revision = "0007_rate_limits"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("key_id", sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_column("key_id")
        batch_op.drop_column("seq")
