"""Writing the access log: who read which participant's personal data, when, where and why."""

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import has_request_context, request

from casework.db import utcnow
from casework.extensions import db
from casework.protection.models import AccessLogEntry

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
