"""Writing the access log: who read which participant's personal data, when, where and why."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import has_request_context, request

from casework.audit.models import AccessLogEntry
from casework.db import utcnow
from casework.extensions import db

GENESIS = "0" * 64


def stamp(at: datetime) -> str:
    """The time as naive UTC text, identical whether the database returns it aware or naive."""
    return (at.astimezone(UTC) if at.tzinfo else at).replace(tzinfo=None).isoformat()


def entry_hash(prev_hash: str, at: datetime, user_id, participant_id, route, purpose) -> str:
    canonical = json.dumps([prev_hash, stamp(at), user_id, participant_id, route, purpose],
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lock_chain() -> None:
    """Serialise writers so the chain never forks (SQLite already has one writer at a time)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(424242)"))


def _head() -> str:
    last = db.session.scalar(sa.select(AccessLogEntry.hash).order_by(AccessLogEntry.id.desc()).limit(1))
    return last or GENESIS


def log_access(user, participant_ids: Iterable[str], purpose: str, route: str | None = None) -> None:
    """Record one entry per participant read, chained to the previous entry."""
    ids = list(dict.fromkeys(participant_ids))
    if not ids:
        return
    if route is None:
        route = (request.endpoint or request.path) if has_request_context() else "cli"
    user_id = getattr(user, "id", None)
    _lock_chain()
    prev = _head()
    at = utcnow().replace(microsecond=0)
    rows = []
    for pid in ids:
        digest = entry_hash(prev, at, user_id, pid, route, purpose)
        rows.append({"at": at, "user_id": user_id, "participant_id": pid, "route": route,
                     "purpose": purpose, "prev_hash": prev, "hash": digest})
        prev = digest
    db.session.execute(sa.insert(AccessLogEntry), rows)


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    broken_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain() -> ChainCheck:
    """Walk the whole log in order; report the first entry whose hash or link does not hold.

    Detects an edited entry (its hash no longer matches its content), a removed or inserted
    entry (the next entry's link breaks). Removing entries from the very end leaves no trace in a
    chain alone; the count is printed so it can be compared with an earlier run.
    """
    columns = (AccessLogEntry.id, AccessLogEntry.at, AccessLogEntry.user_id, AccessLogEntry.participant_id,
               AccessLogEntry.route, AccessLogEntry.purpose, AccessLogEntry.prev_hash, AccessLogEntry.hash)
    prev = GENESIS
    checked = 0
    rows = db.session.execute(sa.select(*columns).order_by(AccessLogEntry.id).execution_options(yield_per=2000))
    try:
        for row in rows:
            checked += 1
            if row.prev_hash != prev:
                return ChainCheck(checked, row.id, "does not link to the entry before it")
            if entry_hash(row.prev_hash, row.at, row.user_id, row.participant_id, row.route, row.purpose) != row.hash:
                return ChainCheck(checked, row.id, "its content does not match its hash")
            prev = row.hash
    finally:
        rows.close()
    return ChainCheck(checked)


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
