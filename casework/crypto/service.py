"""Encrypting and decrypting personal fields with each participant's own data key.

Unwrapped data keys are cached for the current application context only (one request or one
CLI command), never beyond it.
"""

import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from flask import current_app, g

from casework.crypto import ledger
from casework.crypto.cipher import (
    Sealer,
    field_aad,
    key_id_of,
    open_sealed,
    seal,
    unwrap_key,
    wrap_aad,
    wrap_key,
)
from casework.crypto.keyring import Keyring, add_audit_key_if_missing, load_keyring
from casework.crypto.models import DataKey
from casework.errors import KeyUnavailable
from casework.extensions import db

EXTENSION_KEY = "casework.keyring"
_master_sealed_rewrappers: dict[str, Callable[[str], int]] = {}


def init_app(app) -> None:
    """Nothing is read yet: `casework --help` and `casework keys init` work without a key file.
    The service and every other command load it first (`casework.crypto.startup`)."""
    app.extensions[EXTENSION_KEY] = None


def keyring() -> Keyring:
    """The key file as loaded, re-read when another process (a rotation) has replaced it.

    Without the re-read a long-running web worker would keep wrapping new data keys with a
    master key that a rotation has since retired.
    """
    current = current_app.extensions.get(EXTENSION_KEY)
    if current is None or current.changed_on_disk():
        current = load_keyring(current.path if current else current_app.config["MASTER_KEY_FILE"])
        current_app.extensions[EXTENSION_KEY] = current
    return current


def reload_keyring() -> Keyring:
    current_app.extensions[EXTENSION_KEY] = load_keyring(current_app.config["MASTER_KEY_FILE"])
    forget_data_keys()
    return keyring()


def audit_keyring() -> Keyring:
    """The key file with an audit key in it, added now if the file predates audit keys."""
    ring = keyring()
    if not ring.audit_keys:
        ring = add_audit_key_if_missing(ring)
        current_app.extensions[EXTENSION_KEY] = ring
    return ring


def _cache() -> dict[str, tuple[str, bytes]]:
    if "_casework_data_keys" not in g:
        g._casework_data_keys = {}
    return g._casework_data_keys


def forget_data_keys(participant_id: str | None = None) -> None:
    if participant_id is None:
        _cache().clear()
    else:
        _cache().pop(participant_id, None)


def create_data_key(participant_id: str) -> DataKey:
    row = new_data_key(participant_id)
    db.session.add(row)
    return row


def new_data_key(participant_id: str) -> DataKey:
    """A new wrapped data key, cached for use at once but not added to the session (bulk import)."""
    master = keyring().active_master
    key_id = str(uuid.uuid4())
    key = secrets.token_bytes(32)
    row = DataKey(id=key_id, participant_id=participant_id, master_key_id=master.id,
                  wrapped_key=wrap_key(master.key, wrap_aad(participant_id, key_id), key))
    _cache()[participant_id] = (key_id, key)
    return row


def refuse_erased(participant_id: str) -> None:
    """Fail closed for anyone in the erasure ledger file, even before the ledger is replayed."""
    if participant_id in ledger.erased_ids():
        raise KeyUnavailable("participant.erased", "This participant's personal data has been erased.")


def unwrap(row: DataKey) -> bytes:
    master = keyring().master_key(row.master_key_id)
    return unwrap_key(master, wrap_aad(row.participant_id, row.id), row.wrapped_key)


def preload_data_keys(participant_ids: Iterable[str]) -> None:
    """Unwrap the keys of many participants with one query (list pages, exports)."""
    cache = _cache()
    wanted = [pid for pid in set(participant_ids) if pid not in cache]
    for start in range(0, len(wanted), 500):
        rows = db.session.scalars(sa.select(DataKey).where(DataKey.participant_id.in_(wanted[start:start + 500])))
        erased = ledger.erased_ids()
        for row in rows:
            if row.participant_id not in erased:
                cache[row.participant_id] = (row.id, unwrap(row))


def data_key(participant_id: str) -> tuple[str, bytes]:
    cache = _cache()
    if participant_id not in cache:
        refuse_erased(participant_id)
        row = db.session.scalar(sa.select(DataKey).where(DataKey.participant_id == participant_id))
        if row is None:
            raise KeyUnavailable("participant.erased", "This participant's personal data has been erased.")
        cache[participant_id] = (row.id, unwrap(row))
    return cache[participant_id]


def encrypt_text(participant_id: str, table: str, column: str, row_id: str, value: str | None) -> bytes | None:
    if value is None:
        return None
    key_id, key = data_key(participant_id)
    return seal(key, key_id, field_aad(table, column, row_id), value)


def sealer(participant_id: str) -> Sealer:
    """`seal` bound to the participant's data key, for encrypting many values of one participant."""
    key_id, key = data_key(participant_id)
    return Sealer(key, key_id)


def decrypt_text(participant_id: str, table: str, column: str, row_id: str, blob: bytes | None) -> str | None:
    """Fails closed: a missing, destroyed or mismatched key raises KeyUnavailable."""
    if blob is None:
        return None
    key_id, key = data_key(participant_id)
    if key_id_of(blob) != key_id:
        raise KeyUnavailable("keys.participant_key_gone",
                             "The value was made with a key this participant no longer has.")
    return open_sealed(key, field_aad(table, column, row_id), blob)


def encrypt_json(participant_id: str, table: str, column: str, row_id: str, value: dict | None) -> bytes | None:
    if not value:
        return None
    return encrypt_text(participant_id, table, column, row_id, json_text(value))


def json_text(value: dict) -> str:
    """What `encrypt_json` encrypts of a dict."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def decrypt_json(participant_id: str, table: str, column: str, row_id: str, blob: bytes | None) -> dict:
    text = decrypt_text(participant_id, table, column, row_id, blob)
    return json.loads(text) if text else {}


def seal_system_secret(table: str, column: str, row_id: str, value: str) -> tuple[str, bytes]:
    """A secret that belongs to no participant (a user's TOTP secret), sealed directly by the
    active master key with associated data naming its place; returns (master key id, blob)."""
    master = keyring().active_master
    return master.id, wrap_key(master.key, field_aad(table, column, row_id), value.encode())


def open_system_secret(key_id: str, table: str, column: str, row_id: str, blob: bytes) -> str:
    """Fails closed (KeyUnavailable) for a retired key or a blob moved to another place."""
    return unwrap_key(keyring().master_key(key_id), field_aad(table, column, row_id), blob).decode()


def on_master_rotation(name: str, rewrap: Callable[[str], int]) -> None:
    """Register how an area re-seals its system secrets under the new master key (given its id)
    before a rotation retires the old one; `rewrap` returns how many values it re-sealed."""
    _master_sealed_rewrappers[name] = rewrap


def rewrap_system_secrets(active_key_id: str) -> int:
    return sum(rewrap(active_key_id) for rewrap in _master_sealed_rewrappers.values())


def blind_index(normalised_personnummer: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 of the normalised 12 digits, with a key held outside the database."""
    key = key if key is not None else keyring().active_blind_index.key
    return hmac.new(key, normalised_personnummer.encode(), hashlib.sha256).hexdigest()


def blind_indexes(normalised_personnummer: str) -> list[str]:
    """The index under every usable key: while `keys rotate --blind-index` rebuilds the index,
    rows still carry the previous key's value, and a look-up must find them either way."""
    return [blind_index(normalised_personnummer, k.key) for k in keyring().usable_blind_index_keys]
