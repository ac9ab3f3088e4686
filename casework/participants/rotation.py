"""Rebuilding the personnummer blind index under a new blind-index key (`casework keys rotate
--blind-index`). The key rotation itself (lock, key file, resuming) is `casework.crypto.rotation`."""

from collections.abc import Callable

import sqlalchemy as sa

from casework.audit.access_log import log_access
from casework.crypto import service as crypto
from casework.extensions import db
from casework.participants.models import Participant


def rebuild_blind_indexes(key: bytes, commit: Callable[[], None], batch_size: int) -> int:
    """Recompute every participant's `pnr_index` with `key`, in batches; `commit` after each one.

    Each batch decrypts personnummer, so its reads are access-logged (no user: a key command).
    """
    total, last_id = 0, ""
    while True:
        batch = list(db.session.scalars(
            sa.select(Participant).where(Participant.personnummer_enc.is_not(None), Participant.id > last_id)
            .order_by(Participant.id).limit(batch_size)))
        if not batch:
            return total
        ids = [p.id for p in batch]
        log_access(None, ids, "blind_index_rebuild")
        crypto.preload_data_keys(ids)
        for person in batch:
            person.pnr_index = crypto.blind_index(person.personnummer, key)
        db.session.flush()
        crypto.forget_data_keys()
        total += len(batch)
        last_id = ids[-1]
        commit()
