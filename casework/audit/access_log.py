"""Writing the access log: who read which participant's personal data, when, where and why.

A read is kept even when the request or command that made it fails: `log_access` only notes
the read, and `write_pending` writes the notes in a transaction of their own once the unit of
work's transaction has committed or rolled back (registered with casework.web.commands at
start-up; the request edge, `transactional` and `commit` call it). On SQLite that transaction
comes after the request's, on the same connection, so it never waits for the request's own
write lock; on PostgreSQL an advisory lock held only by it serialises the chain's writers.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import g, has_request_context, request

from casework.audit import anchor
from casework.audit.chain import GENESIS, keyed_hash
from casework.audit.models import AccessLogEntry
from casework.crypto import service as crypto
from casework.db import immediate_transaction, utcnow
from casework.extensions import db

PENDING = "_casework_access_reads"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Read:
    at: datetime
    user_id: str | None
    participant_id: str
    route: str
    purpose: str


def log_access(user, participant_ids: Iterable[str], purpose: str, route: str | None = None) -> None:
    """Note one read per participant; written to the log when the request or command ends."""
    ids = list(dict.fromkeys(participant_ids))
    if not ids:
        return
    if route is None:
        route = (request.endpoint or request.path) if has_request_context() else "cli"
    at = utcnow().replace(microsecond=0)
    user_id = getattr(user, "id", None)
    g.setdefault(PENDING, []).extend(Read(at, user_id, pid, route, purpose) for pid in ids)


def pending() -> bool:
    return bool(g.get(PENDING))


def pending_reads() -> list[Read]:
    """The reads noted in this request or command and not yet written."""
    return list(g.get(PENDING, []))


def discard_pending() -> None:
    """Forget unwritten reads (only the tests' teardown, whose connection is already closed)."""
    g.pop(PENDING, None)


def write_pending() -> None:
    """Write the noted reads, chained and signed, in their own transaction; then anchor the head.

    Call it when the session has no transaction of the caller's left (committed or rolled back).
    """
    reads = g.pop(PENDING, [])
    if not reads:
        return
    key = crypto.audit_keyring().active_audit
    try:
        with immediate_transaction():
            head = _append(reads, key.id, key.key)
            db.session.commit()
    except Exception:
        db.session.rollback()
        log.error("Could not write %d access-log entries.", len(reads))
        raise
    try:
        anchor.record(*head)
    except OSError:
        log.exception("Could not anchor the access log's head (entry %s); `casework audit verify` "
                      "checks the entries up to the previous anchor.", head[0])


def _append(reads: list[Read], key_id: str, key: bytes) -> tuple[int, str, int]:
    """Insert the reads after the current head; returns the new head (id, hash, count)."""
    _lock_chain()
    prev, seq = _head()
    rows = []
    for read in reads:
        seq += 1
        digest = keyed_hash(key, prev, seq, read.at, read.user_id, read.participant_id, read.route, read.purpose)
        rows.append({"at": read.at, "user_id": read.user_id, "participant_id": read.participant_id,
                     "route": read.route, "purpose": read.purpose, "seq": seq, "key_id": key_id,
                     "prev_hash": prev, "hash": digest})
        prev = digest
    db.session.execute(sa.insert(AccessLogEntry), rows)
    last_id = db.session.scalar(sa.select(AccessLogEntry.id).where(AccessLogEntry.hash == prev))
    return last_id, prev, seq


def _lock_chain() -> None:
    """Serialise writers so the chain never forks (SQLite already has one writer at a time)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(424242)"))


def _head() -> tuple[str, int]:
    """The last entry's hash and position; counted once, when the last entry is unkeyed."""
    last = db.session.execute(sa.select(AccessLogEntry.hash, AccessLogEntry.seq)
                              .order_by(AccessLogEntry.id.desc()).limit(1)).first()
    if last is None:
        return GENESIS, 0
    if last.seq is not None:
        return last.hash, last.seq
    return last.hash, db.session.scalar(sa.select(sa.func.count()).select_from(AccessLogEntry))


@dataclass(frozen=True)
class LogFilter:
    user_id: str | None = None
    participant_id: str | None = None
    since: date | None = None
    until: date | None = None


def query_entries(filters: LogFilter, limit: int | None = None):
    """Entries matching the filter, newest first; `until` is inclusive (the whole day)."""
    query = sa.select(AccessLogEntry).order_by(AccessLogEntry.id.desc())
    if filters.user_id:
        query = query.where(AccessLogEntry.user_id == filters.user_id)
    if filters.participant_id:
        query = query.where(AccessLogEntry.participant_id == filters.participant_id)
    if filters.since:
        query = query.where(AccessLogEntry.at >= datetime.combine(filters.since, time.min, UTC))
    if filters.until:
        query = query.where(AccessLogEntry.at < datetime.combine(filters.until + timedelta(days=1), time.min, UTC))
    if limit:
        query = query.limit(limit)
    return db.session.scalars(query)
