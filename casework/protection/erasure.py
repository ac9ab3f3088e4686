"""Erasure (Art. 17 and gallring) by destroying the participant's data key.

What stays: the participant row with its statistical facts, and every event row with its
non-personal `data`, so reports do not change. What goes, in one transaction: the wrapped data
key, the personal ciphertexts on the participant, the blind index, the rectification history,
and the ciphertexts (`personal_enc`, `note_enc`) of the participant's events.

The event ciphertexts would be unreadable without the key anyway; they are nulled all the same
so that nothing of the person remains even if a master key and an old wrapped key ever met
again (a backup restored without the ledger). Events are immutable through the ORM; nulling
these two columns with a core UPDATE is the one sanctioned exception, and the ORM guard in
`casework.events.models` allows exactly that change too.
"""

import logging
import re
import sqlite3
from collections.abc import Callable

import psycopg
import sqlalchemy as sa
from flask import current_app

from casework.audit.security import security_event
from casework.crypto import ledger
from casework.crypto import service as crypto
from casework.crypto.models import DataKey
from casework.db import utcnow
from casework.errors import Conflict, PermissionDenied, ValidationFailed
from casework.events.models import Event
from casework.events.service import build_event, log_of, state_of
from casework.extensions import db
from casework.participants.models import Participant
from casework.protection import permissions
from casework.protection.models import ErasureRecord, PersonalHistory
from casework.text import normalise_newlines, text_problem

log = logging.getLogger(__name__)
ERASURE_KINDS = ("request", "retention", "replay")
PERSONNUMMER_LIKE = re.compile(r"\d{6}[-+]?\d{4}")
ERASED_TABLES = ("data_keys", "participants", "events", "personal_history")


_erasure_hooks: list[Callable[[Participant], None]] = []


def on_erasure(hook: Callable[[Participant], None]) -> Callable[[Participant], None]:
    """Register a function other areas use to destroy what *they* keep of a participant (cached
    files, their own ciphertext columns). It runs inside the erasure transaction, before the data
    key is deleted, and must only flush."""
    if hook not in _erasure_hooks:
        _erasure_hooks.append(hook)
    return hook


def check_reason(reason: str | None) -> str:
    """A reason is required and must not itself be personal data (it is kept after erasure)."""
    reason = normalise_newlines(reason or "").strip()
    if not reason:
        raise ValidationFailed("erasure.reason_required", "A reason is required.", "reason")
    if problem := text_problem(reason, multiline=True):
        raise ValidationFailed(problem, "reason")
    if len(reason) > 500:
        raise ValidationFailed("erasure.reason_too_long", "At most 500 characters.", "reason")
    if PERSONNUMMER_LIKE.search(reason):
        raise ValidationFailed("erasure.reason_personnummer", "The reason must not contain a personnummer.", "reason")
    return reason


def check_erasable(participant: Participant, user, *, force: bool) -> None:
    """Refuse before anything is written. `user` None means the server operator (CLI)."""
    if participant.erased_at is not None:
        raise Conflict("participant.already_erased", "The participant is already erased.", "participant")
    if user is not None and not permissions.can_erase_participant(user, participant):
        raise PermissionDenied("erasure.team_lead_only", "Only a team lead of the participant's team may erase.")
    if force and user is not None and not permissions.can_force_erasure(user, participant):
        raise PermissionDenied("erasure.force_team_lead_only",
                               "Only a team lead of the participant's team may force an erasure.")
    if state_of(participant).is_active and not force:
        raise Conflict("erasure.still_enrolled", "The participant is still enrolled; an exit must come first "
                       "(or force the erasure, as a team lead, with a reason).", "force")


def erase_participant(participant: Participant, reason: str, user=None, *, force: bool = False,
                      kind: str = "request") -> ErasureRecord:
    """Erase one participant's personal data; flushes, the caller commits and then calls `wipe_freed_space`."""
    reason = check_reason(reason)
    check_erasable(participant, user, force=force)
    erased_at = utcnow().replace(microsecond=0)
    ledger.append(participant.id, erased_at.isoformat(), kind)
    security_event("erasure", participant_id=participant.id, kind=kind, user_id=getattr(user, "id", None))
    return _destroy(participant, reason, user, force=force, kind=kind, erased_at=erased_at)


def _destroy(participant: Participant, reason: str, user, *, force: bool, kind: str, erased_at) -> ErasureRecord:
    pid = participant.id
    existing = log_of(pid)
    if not any(e.type == "erased" for e in existing):
        db.session.add(build_event(participant, "erased", erased_at.date(), {}, {}, None,
                                   seq=max((e.seq for e in existing), default=0) + 1, user=user))
    db.session.execute(sa.update(Event).where(Event.participant_id == pid)
                       .values(personal_enc=None, note_enc=None).execution_options(synchronize_session=False))
    for event in existing:
        db.session.expire(event, ["personal_enc", "note_enc"])
    db.session.execute(sa.delete(PersonalHistory).where(PersonalHistory.participant_id == pid))
    for hook in _erasure_hooks:
        hook(participant)
    db.session.execute(sa.delete(DataKey).where(DataKey.participant_id == pid))
    crypto.forget_data_keys(pid)
    participant.name_enc = participant.personnummer_enc = participant.contact_enc = None
    participant.pnr_index = None
    participant.erased_at = erased_at
    record = db.session.scalar(sa.select(ErasureRecord).where(ErasureRecord.participant_id == pid))
    if record is None:
        record = ErasureRecord(participant_id=pid, team_id=participant.team_id, erased_at=erased_at, kind=kind,
                               forced=force, erased_by_id=getattr(user, "id", None))
        record.set_reason(reason)
        db.session.add(record)
    db.session.flush()
    log.info("Erased participant %s (%s).", pid, kind)
    return record


def replay_erasures() -> list[str]:
    """Re-apply the ledger file (after a restore). Idempotent: returns the ids erased now.

    Ids in the file whose participant is not in the database (never restored) are skipped.
    Table rows missing from the file (a file restored from an older copy) are added to it.
    """
    for record in db.session.scalars(sa.select(ErasureRecord)):
        ledger.append(record.participant_id, record.erased_at.isoformat(), record.kind)
    done = []
    for entry in ledger.read_entries():
        participant = db.session.get(Participant, entry["participant_id"])
        leftovers = participant is not None and (
            participant.erased_at is None
            or db.session.scalar(sa.select(DataKey.id).where(DataKey.participant_id == participant.id)))
        if leftovers:
            _destroy(participant, "Återställd radering (replay)", None, force=True, kind="replay",
                     erased_at=participant.erased_at or utcnow().replace(microsecond=0))
            done.append(participant.id)
    return done


def wipe_freed_space() -> bool:
    """After the commit: overwrite what the deleted rows left behind. True when complete.

    SQLite runs with `secure_delete` (freed pages are zeroed); the WAL still holds the old
    pages until a checkpoint, so truncate it, VACUUM, and truncate again. PostgreSQL keeps dead
    tuples until VACUUM; VACUUM FULL rewrites the small data_keys table into a new file.
    Both need a connection outside any transaction, and both wait for other transactions: after
    `ERASURE_WIPE_TIMEOUT_MS` (default 5000) this gives up with a warning, and the next erasure
    or `casework gdpr wipe` (cron) completes it. The erasure itself is committed either way.
    """
    timeout = int(current_app.config.get("ERASURE_WIPE_TIMEOUT_MS", 5000))
    engine = db.engine
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            return _wipe_sqlite(raw, timeout)
        if engine.dialect.name == "postgresql":
            return _wipe_postgresql(raw.driver_connection, timeout)
        return False
    except (sqlite3.OperationalError, psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled):
        log.warning("Could not clear freed database space now (busy); run `casework gdpr wipe` later.")
        return False
    finally:
        raw.close()


def _wipe_sqlite(raw, timeout: int) -> bool:
    cursor = raw.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={timeout}")
        busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        cursor.execute("VACUUM")
        busy = busy or cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        return not busy
    finally:
        cursor.close()


def _wipe_postgresql(driver, timeout: int) -> bool:
    driver.autocommit = True
    try:
        with driver.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {timeout}")
            cursor.execute("VACUUM FULL data_keys")
            cursor.execute("VACUUM " + ", ".join(t for t in ERASED_TABLES if t != "data_keys"))
            cursor.execute("RESET lock_timeout")
        return True
    finally:
        driver.autocommit = False
