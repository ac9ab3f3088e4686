"""Refusing to start without the right key file.

The service (`create_app()`) and every `casework` command except `keys init`, `demo` and
`--help` load the key file before anything else: a missing file stops them with a message that
names CASEWORK_MASTER_KEY_FILE. The service also unwraps the newest data key under each master
key id the database uses (one row per id, so it stays cheap): a key file that belongs to another
database, or lacks a key still in use, stops it before the first request instead of failing
every page that decrypts.
"""

import sqlalchemy as sa
from flask import Flask

from casework.crypto.cipher import unwrap_key, wrap_aad
from casework.crypto.keyring import (
    ENV_VARIABLE,
    Keyring,
    add_audit_key_if_missing,
    load_keyring,
)
from casework.crypto.models import DataKey
from casework.crypto.service import EXTENSION_KEY
from casework.errors import KeyUnavailable
from casework.extensions import db


def require_keys(app: Flask, *, database: bool) -> Keyring:
    """Load the key file (adding the audit key if it predates it); with `database`, also check
    that it unwraps the data keys stored. Raises KeyUnavailable with the reason."""
    ring = add_audit_key_if_missing(load_keyring(app.config["MASTER_KEY_FILE"]))
    app.extensions[EXTENSION_KEY] = ring
    if database:
        with app.app_context():
            try:
                _check_data_keys(ring)
            finally:
                db.session.remove()
    return ring


def stored_master_key_ids() -> list[str]:
    """The master key ids the database's data keys are wrapped with (none before the schema exists)."""
    if not sa.inspect(db.engine).has_table(DataKey.__tablename__):
        return []
    return list(db.session.scalars(sa.select(DataKey.master_key_id).distinct()))


def _check_data_keys(ring: Keyring) -> None:
    for key_id in stored_master_key_ids():
        row = db.session.scalar(sa.select(DataKey).where(DataKey.master_key_id == key_id)
                                .order_by(DataKey.created_at.desc()).limit(1))
        try:
            unwrap_key(ring.master_key(key_id), wrap_aad(row.participant_id, row.id), row.wrapped_key)
        except KeyUnavailable:
            raise KeyUnavailable(
                "keys.master_unwrap_failed",
                f"The database holds data keys wrapped by master key {key_id}, which the key file "
                f"{ring.path} cannot unwrap. Set {ENV_VARIABLE} to the key file that belongs to this "
                "database (or run `casework keys rotate` if a rotation was left unfinished).",
                key_id=key_id, variable=ENV_VARIABLE) from None
