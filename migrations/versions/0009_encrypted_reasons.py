"""Reasons of erasures and legal holds encrypted with a system data key

Revision ID: 0009_encrypted_reasons
Revises: 0008_keyed_access_log

A `system_keys` row (purpose `protection`) holds a data key wrapped by the master key, as a
participant's key is; the reasons already stored in clear are sealed with it, bound to their
table, column and row (`erasure_ledger` by participant id, `legal_holds` by id), and the clear
columns are dropped. The downgrade decrypts them back. Both need the key file, as the app does.
"""
import secrets
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "0009_encrypted_reasons"
down_revision = "0008_keyed_access_log"
branch_labels = None
depends_on = None

PURPOSE = "protection"
# (table, the column naming the row in the associated data)
TABLES = (("erasure_ledger", "participant_id"), ("legal_holds", "id"))


def _keyring():
    from casework.crypto.keyring import load_keyring

    return load_keyring(current_app.config["MASTER_KEY_FILE"])


def _system_key(conn, create: bool) -> tuple[str, bytes] | None:
    from casework.crypto.cipher import unwrap_key, wrap_aad, wrap_key

    keys = sa.table("system_keys", sa.column("id", sa.String), sa.column("purpose", sa.String),
                    sa.column("master_key_id", sa.String), sa.column("wrapped_key", sa.LargeBinary),
                    sa.column("created_at", sa.DateTime(timezone=True)))
    ring = _keyring()
    row = conn.execute(sa.select(keys.c.id, keys.c.master_key_id, keys.c.wrapped_key)
                       .where(keys.c.purpose == PURPOSE)).first()
    if row is not None:
        return row.id, unwrap_key(ring.master_key(row.master_key_id), wrap_aad(f"system:{PURPOSE}", row.id),
                                  row.wrapped_key)
    if not create:
        return None
    key_id, key, master = str(uuid.uuid4()), secrets.token_bytes(32), ring.active_master
    conn.execute(keys.insert().values(id=key_id, purpose=PURPOSE, master_key_id=master.id, created_at=datetime.now(UTC),
                                      wrapped_key=wrap_key(master.key, wrap_aad(f"system:{PURPOSE}", key_id), key)))
    return key_id, key


def _rows(conn, table: str, row_column: str, value_column: str):
    t = sa.table(table, sa.column("id"), sa.column(row_column), sa.column(value_column))
    return conn.execute(sa.select(t.c.id, t.c[row_column], t.c[value_column])
                        .where(t.c[value_column].is_not(None))).all()


def upgrade():
    from casework.crypto.cipher import field_aad, seal

    op.create_table("system_keys",
    sa.Column("id", sa.String(length=36), nullable=False),
    sa.Column("purpose", sa.String(length=40), nullable=False),
    sa.Column("master_key_id", sa.String(length=40), nullable=False),
    sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_system_keys")),
    sa.UniqueConstraint("purpose", name=op.f("uq_system_keys_purpose"))
    )
    with op.batch_alter_table("system_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_system_keys_master_key_id"), ["master_key_id"], unique=False)
    conn = op.get_bind()
    key = None
    for table, row_column in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("reason_enc", sa.LargeBinary(), nullable=True))
        rows = _rows(conn, table, row_column, "reason")
        t = sa.table(table, sa.column("id"), sa.column("reason_enc", sa.LargeBinary))
        for row in rows:
            key = key or _system_key(conn, create=True)
            blob = seal(key[1], key[0], field_aad(table, "reason", row[1]), row[2])
            conn.execute(t.update().where(t.c.id == row[0]).values(reason_enc=blob))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("reason")


def downgrade():
    from casework.crypto.cipher import field_aad, open_sealed

    conn = op.get_bind()
    key = None
    for table, row_column in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("reason", sa.String(length=500), server_default="", nullable=False))
        rows = _rows(conn, table, row_column, "reason_enc")
        t = sa.table(table, sa.column("id"), sa.column("reason", sa.String))
        for row in rows:
            key = key or _system_key(conn, create=False)
            conn.execute(t.update().where(t.c.id == row[0])
                         .values(reason=open_sealed(key[1], field_aad(table, "reason", row[1]), row[2])))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("reason_enc")
            batch_op.alter_column("reason", server_default=None)
    with op.batch_alter_table("system_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_system_keys_master_key_id"))
    op.drop_table("system_keys")
