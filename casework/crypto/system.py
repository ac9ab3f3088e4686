"""Encryption with a system data key: for text that must outlive the participant's own key.

An erasure destroys the participant's data key, yet the erasure ledger keeps why it happened,
and a legal hold's reason is kept with it. Such text is sealed with the data key of a fixed
purpose (one `system_keys` row, made on first use, wrapped by the master key and re-wrapped by
a master-key rotation), bound to its table, column and row like every other encrypted field.
"""

import secrets
import uuid

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from casework.crypto import service as crypto
from casework.crypto.cipher import field_aad, key_id_of, open_sealed, seal, unwrap_key, wrap_aad, wrap_key
from casework.crypto.models import SystemKey
from casework.errors import KeyUnavailable
from casework.extensions import db

PROTECTION = "protection"  # the reasons of erasures and legal holds


def _wrap_aad(row: SystemKey) -> bytes:
    return wrap_aad(f"system:{row.purpose}", row.id)


def _new_row(purpose: str) -> SystemKey:
    master = crypto.keyring().active_master
    row = SystemKey(id=str(uuid.uuid4()), purpose=purpose, master_key_id=master.id, wrapped_key=b"")
    row.wrapped_key = wrap_key(master.key, _wrap_aad(row), secrets.token_bytes(32))
    return row


def _row(purpose: str) -> SystemKey:
    """The purpose's key row, made on first use; two processes making it at once agree on one."""
    row = db.session.scalar(sa.select(SystemKey).where(SystemKey.purpose == purpose))
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = _new_row(purpose)
            db.session.add(row)
    except IntegrityError:
        row = db.session.scalar(sa.select(SystemKey).where(SystemKey.purpose == purpose))
    return row


def system_key(purpose: str) -> tuple[str, bytes]:
    cache = crypto._cache()
    name = f"system:{purpose}"
    if name not in cache:
        row = _row(purpose)
        cache[name] = (row.id, unwrap_key(crypto.keyring().master_key(row.master_key_id), _wrap_aad(row),
                                          row.wrapped_key))
    return cache[name]


def encrypt_system_text(purpose: str, table: str, column: str, row_id: str, value: str | None) -> bytes | None:
    if value is None:
        return None
    key_id, key = system_key(purpose)
    return seal(key, key_id, field_aad(table, column, row_id), value)


def decrypt_system_text(purpose: str, table: str, column: str, row_id: str, blob: bytes | None) -> str | None:
    """Fails closed (KeyUnavailable) for a blob made with another key or moved to another place."""
    if blob is None:
        return None
    key_id, key = system_key(purpose)
    if key_id_of(blob) != key_id:
        raise KeyUnavailable("keys.system_key_other", "The value was made with another system key.")
    return open_sealed(key, field_aad(table, column, row_id), blob)


def _rewrap(active_key_id: str) -> int:
    """Re-wrap every system key under the new master key (a rotation calls this before retiring)."""
    ring = crypto.keyring()
    active = ring.master_key(active_key_id)
    rows = list(db.session.scalars(sa.select(SystemKey).where(SystemKey.master_key_id != active_key_id)))
    for row in rows:
        key = unwrap_key(ring.master_key_material(row.master_key_id), _wrap_aad(row), row.wrapped_key)
        row.wrapped_key = wrap_key(active, _wrap_aad(row), key)
        row.master_key_id = active_key_id
    db.session.flush()
    return len(rows)


crypto.on_master_rotation("system_keys", _rewrap)
