"""`casework audit verify`: the chain checked with the audit keys, its end with the anchor file.

A log with keyed entries and no anchor file fails: its end cannot be checked. A log with only
entries from before the chain was keyed (just upgraded, nothing read since) is anchored by its
first verification. A successful verification replaces the anchor file with the head it checked.

After a database restore the restored log lacks the newest entries the anchor file names, and
verification says so. `reset_anchor` (`audit verify --reset-anchor`) then checks the chain alone
and, if it holds, sets the old anchor file aside (renamed, kept as the record of what was lost)
and anchors the restored log afresh.
"""

import sqlalchemy as sa

from casework.audit import anchor
from casework.audit.chain import ChainCheck, walk
from casework.audit.models import AccessLogEntry
from casework.crypto import service as crypto
from casework.errors import KeyUnavailable
from casework.extensions import db


def verify_chain(*, reset_anchor: bool = False) -> ChainCheck:
    ring = crypto.audit_keyring()

    def audit_key(key_id: str) -> bytes:
        try:
            return ring.audit_key(key_id)
        except KeyUnavailable:
            raise LookupError(key_id) from None

    path = anchor.anchor_path()
    try:
        anchors = [] if reset_anchor else anchor.read_anchors(path)
    except anchor.AnchorUnreadable as exc:
        return ChainCheck(0, problem=f"{exc}: the end of the log cannot be checked")
    result = walk(audit_key, anchors or [])
    if not result.ok:
        return result
    if reset_anchor:
        anchor.set_aside()
    elif anchors is None and _has_keyed_entries():
        return ChainCheck(result.checked, problem=f"there is no anchor file at {path} ({anchor.ENV_VARIABLE}), "
                                                  "so the end of the log cannot be checked")
    if result.head is not None:
        anchor.replace_with(anchor.Anchor(result.head.id, result.head.hash, result.head.count, anchor.now()))
    return result


def _has_keyed_entries() -> bool:
    return db.session.scalar(sa.select(sa.exists().where(AccessLogEntry.key_id.is_not(None))))
