"""The access log's chain: how an entry's hash is made, and checking the whole log.

Each entry's `hash` is HMAC-SHA256, under the audit key from the key file (named in `key_id`),
of its content, its position (`seq`, 1 for the first entry) and the previous entry's hash. So
without the key nobody can edit an entry, insert or remove one, or recompute the chain (with
SHA-256 or anything else); a removed entry also shows as a gap in the positions.

Entries written before the chain was keyed (migration 0008) have `key_id` and `seq` NULL and a
plain SHA-256 hash of their content and the previous hash. They may only come first: the first
keyed entry links to the last of them, and its HMAC covers that link, so the unkeyed part can no
longer be changed either. An unkeyed entry after a keyed one is refused.

What a chain cannot show, the removal of the newest entries, the anchor file shows
(`casework.audit.anchor`): it names the head (id, hash, count) after every write.
"""

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from casework.audit.anchor import Anchor
from casework.audit.models import AccessLogEntry
from casework.extensions import db

GENESIS = "0" * 64


def stamp(at: datetime) -> str:
    """The time as naive UTC text, identical whether the database returns it aware or naive."""
    return (at.astimezone(UTC) if at.tzinfo else at).replace(tzinfo=None).isoformat()


def unkeyed_hash(prev_hash: str, at: datetime, user_id, participant_id, route, purpose) -> str:
    """The hash of an entry from before the chain was keyed (kept only to check those)."""
    canonical = json.dumps([prev_hash, stamp(at), user_id, participant_id, route, purpose], separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def keyed_hash(key: bytes, prev_hash: str, seq: int, at: datetime, user_id, participant_id, route, purpose) -> str:
    canonical = json.dumps([prev_hash, seq, stamp(at), user_id, participant_id, route, purpose], separators=(",", ":"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    broken_id: int | None = None
    problem: str | None = None
    head: Anchor | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


COLUMNS = (AccessLogEntry.id, AccessLogEntry.at, AccessLogEntry.user_id, AccessLogEntry.participant_id,
           AccessLogEntry.route, AccessLogEntry.purpose, AccessLogEntry.seq, AccessLogEntry.key_id,
           AccessLogEntry.prev_hash, AccessLogEntry.hash)


def _problem_with(row, prev: str, position: int, keyed_seen: bool, audit_key: Callable[[str], bytes]) -> str | None:
    if row.prev_hash != prev:
        return "does not link to the entry before it (an entry was removed, inserted or edited)"
    content = (row.at, row.user_id, row.participant_id, row.route, row.purpose)
    if row.key_id is None:
        if keyed_seen:
            return "is unkeyed but follows keyed entries (the chain was rewritten)"
        expected = unkeyed_hash(row.prev_hash, *content)
    else:
        if row.seq != position:
            return f"says it is entry number {row.seq} but is number {position} (entries were removed or inserted)"
        try:
            key = audit_key(row.key_id)
        except LookupError:
            return f"is signed with the audit key {row.key_id}, which the key file does not hold"
        expected = keyed_hash(key, row.prev_hash, row.seq, *content)
    if not hmac.compare_digest(expected, row.hash):
        return ("its content does not match its hash (the entry was edited, or the chain recomputed "
                "without the audit key)")
    return None


def walk(audit_key: Callable[[str], bytes], anchors: list[Anchor]) -> ChainCheck:
    """Check every entry in order, and every anchored entry against its anchor; the first
    problem found is reported. `audit_key(key_id)` returns the key or raises LookupError."""
    anchored = {a.id: a for a in anchors}
    seen: set[int] = set()
    prev, position, keyed_seen, head = GENESIS, 0, False, None
    rows = db.session.execute(sa.select(*COLUMNS).order_by(AccessLogEntry.id).execution_options(yield_per=2000))
    try:
        for row in rows:
            position += 1
            problem = _problem_with(row, prev, position, keyed_seen, audit_key)
            anchor = anchored.get(row.id)
            if problem is None and anchor is not None:
                seen.add(row.id)
                if not hmac.compare_digest(anchor.hash, row.hash):
                    problem = (f"differs from the anchor file, which recorded it on {anchor.at} "
                               "(the chain was rewritten)")
                elif anchor.count != position:
                    problem = f"is number {position} but the anchor file recorded it as number {anchor.count}"
            if problem:
                return ChainCheck(position, row.id, problem)
            keyed_seen = keyed_seen or row.key_id is not None
            prev, head = row.hash, Anchor(row.id, row.hash, position, "")
    finally:
        rows.close()
    return _beyond_the_end(position, head, [a for a in anchors if a.id not in seen])


def _beyond_the_end(checked: int, head: Anchor | None, missing: list[Anchor]) -> ChainCheck:
    """Anchored entries the walk did not meet: the newest entries were removed."""
    if not missing:
        return ChainCheck(checked, head=head)
    last = max(missing, key=lambda a: a.count)
    ends = f"ends at entry {head.id} after {checked} entries" if head else "is empty"
    return ChainCheck(checked, last.id, f"is missing: the log {ends}, but the anchor file recorded {last.count} "
                                        f"entries up to entry {last.id} on {last.at} (the newest entries were removed)")
