"""Key rotation without downtime and without re-encrypting any data.

Master key (`casework keys rotate`): a new master key is added to the key file as active, the
old one marked `previous`; every DataKey row is unwrapped and re-wrapped under the new key in
batches (each row names its wrapping key in `master_key_id`); when none is left under another
key, the previous key is marked `retired` and is no longer used. Interrupted half-way, every row
is still readable (under either key), and the next run finds the `previous` key and completes
the same rotation instead of starting another.

Blind-index key (`casework keys rotate --blind-index`): a new key becomes active, the old one
`previous`; look-ups match either (`crypto.service.blind_indexes`) while every participant's
personnummer is decrypted and its index recomputed in batches (by `casework.participants.rotation`,
registered through `on_blind_index_rotation`); then the old key is retired.

A lock file next to the key file (flock, released by the kernel if the process dies) refuses a
concurrent rotation. A retired key's material stays in the file so that a database restored from
an older backup can still be re-wrapped by another rotation; `casework keys purge-retired`
destroys it once the backups of that age are gone, and with it every old copy's readability.
"""

import contextlib
import fcntl
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from casework.crypto import ledger
from casework.crypto import service as crypto
from casework.crypto.cipher import unwrap_key, wrap_aad, wrap_key
from casework.crypto.keyring import KeyEntry, Keyring
from casework.crypto.models import DataKey
from casework.errors import Conflict
from casework.extensions import db

BATCH = 500
BLIND_INDEX_REBUILD = "casework.crypto.blind_index_rebuild"


@dataclass
class RotationResult:
    key_id: str
    resumed: bool
    rows: int
    retired: list[str]


@contextlib.contextmanager
def rotation_lock():
    """Exclusive for the whole rotation; a second one is refused at once, nothing changed."""
    path = crypto.keyring().path.with_name(crypto.keyring().path.name + ".rotation.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict("keys.rotation_running", "Another key rotation is running; nothing was changed.") from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _start(entries: list[KeyEntry], prefix: str, ring: Keyring) -> tuple[KeyEntry, bool]:
    """Resume a rotation left half-way, or begin one: new key active, the active one previous."""
    if any(k.status == "previous" for k in entries):
        return next(k for k in entries if k.status == "active"), True
    new = KeyEntry.generate(prefix)
    for entry in entries:
        if entry.status == "active":
            entry.status = "previous"
    entries.append(new)
    ring.save()
    return new, False


def _retire(entries: list[KeyEntry], ring: Keyring) -> list[str]:
    retired = [k for k in entries if k.status == "previous"]
    for entry in retired:
        entry.retire()
    ring.save()
    return [k.id for k in retired]


def _unreplayed_erasures() -> bool:
    erased = ledger.erased_ids()
    if not erased:
        return False
    held = set(db.session.scalars(sa.select(DataKey.participant_id)))
    return bool(held & erased)


def _rewrap_batch(active: KeyEntry, ring: Keyring, size: int) -> int:
    rows = list(db.session.scalars(sa.select(DataKey).where(DataKey.master_key_id != active.id)
                                   .order_by(DataKey.id).limit(size)))
    for row in rows:
        aad = wrap_aad(row.participant_id, row.id)
        key = unwrap_key(ring.master_key_material(row.master_key_id), aad, row.wrapped_key)
        row.wrapped_key = wrap_key(active.key, aad, key)
        row.master_key_id = active.id
    db.session.flush()
    return len(rows)


def rotate_master_key(commit: Callable[[], None], batch_size: int = BATCH) -> RotationResult:
    """Rotate (or finish rotating) the master key; `commit` is called after every batch."""
    with rotation_lock():
        if _unreplayed_erasures():
            raise Conflict("keys.erasures_pending",
                           "Some erased participants still have data keys: run `casework gdpr replay-erasures` first.")
        ring = crypto.reload_keyring()
        active, resumed = _start(ring.master_keys, "mk", ring)
        total = 0
        while count := _rewrap_batch(active, ring, batch_size):
            total += count
            commit()
        total += crypto.rewrap_system_secrets(active.id)
        commit()
        retired = _retire(ring.master_keys, ring)
        while count := _rewrap_batch(active, ring, batch_size):  # keys another process made meanwhile
            total += count
            commit()
        crypto.forget_data_keys()
        return RotationResult(active.id, resumed, total, retired)


def on_blind_index_rotation(app, rebuild: Callable[[bytes, Callable[[], None], int], int]) -> None:
    """Name the function that recomputes every stored blind index under a new key.

    The indexes belong to the areas that search by them (the participants' personnummer), so
    crypto keeps no list of them: that area registers `rebuild(key, commit, batch_size) -> rows`.
    """
    app.extensions[BLIND_INDEX_REBUILD] = rebuild


def rotate_blind_index_key(commit: Callable[[], None], batch_size: int = BATCH) -> RotationResult:
    """Rotate (or finish rotating) the blind-index key, rebuilding every index under the new key."""
    rebuild = current_app.extensions.get(BLIND_INDEX_REBUILD)
    if rebuild is None:
        raise Conflict("keys.no_blind_index", "No blind index is registered to rebuild; nothing was changed.")
    with rotation_lock():
        ring = crypto.reload_keyring()
        active, resumed = _start(ring.blind_index_keys, "bi", ring)
        total = rebuild(active.key, commit, batch_size)
        retired = _retire(ring.blind_index_keys, ring)
        return RotationResult(active.id, resumed, total, retired)


def purge_retired(before: datetime) -> list[str]:
    """Destroy the material of keys retired before `before`: backups older than that become unreadable."""
    with rotation_lock():
        ring = crypto.reload_keyring()
        due = [e for e in ring.master_keys + ring.blind_index_keys
               if e.status == "retired" and e.key and e.retired and datetime.fromisoformat(e.retired) < before]
        ids = [e.id for e in due]
        in_use = db.session.scalar(sa.select(sa.func.count()).select_from(DataKey).where(DataKey.master_key_id.in_(ids)))
        if in_use:
            raise Conflict("keys.still_in_use", f"{in_use} data key(s) are still wrapped by a key to purge; "
                           "run `casework keys rotate` first.", count=in_use)
        for entry in due:
            entry.key = b""
        if due:
            ring.save()
        return ids
