"""The declarative base, shared column helpers and the SQLite connection settings."""

import contextlib
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def new_id() -> str:
    """Row ids are made by the application so that encryption can bind to them before insert."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


def id_column(**kwargs):
    return mapped_column(sa.String(36), primary_key=True, default=new_id, **kwargs)


def timestamp_column(**kwargs):
    return mapped_column(sa.DateTime(timezone=True), default=utcnow, **kwargs)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on, freed pages overwritten, and WAL so readers do not block the writer.

    synchronous=FULL (SQLite's default, stated so that no build's default can weaken it): every
    commit syncs the WAL to disk before it returns, so an appended event or an access-log entry
    that a caller was told is written survives a power failure too. NORMAL would skip that sync
    (losing the newest commits on power loss, not on a crash of the process); issue 10 forbids
    losing the access log, and an acknowledged event is the caseworker's record, so FULL stays.
    """
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


_immediate = ContextVar("casework_immediate_transaction", default=False)


@contextlib.contextmanager
def immediate_transaction():
    """Transactions begun inside take SQLite's write lock at BEGIN also outside a request (a
    command): one that reads and then writes could otherwise fail at once as "database is
    locked" when another process wrote in between."""
    token = _immediate.set(True)
    try:
        yield
    finally:
        _immediate.reset(token)


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """With the driver's own transaction handling off, SQLAlchemy emits BEGIN itself.

    This is SQLAlchemy's documented recipe; it makes SAVEPOINTs (used by the tests and by
    nested service calls) behave on SQLite as on PostgreSQL.

    A request's transaction takes SQLite's write lock at BEGIN (IMMEDIATE), waiting up to the
    busy timeout for it. Nearly every request may write (an append, or the access-log entry of
    any read of personal data), and a deferred transaction that has read and then writes fails
    at once with "database is locked" when another worker committed in between, whatever the
    timeout. Readers in WAL mode are not blocked; writers queue instead of failing.

    A connection made with the execution option `deferred_begin` (the rate-limit counters' reads)
    begins deferred even in a request: it must not wait for the write lock that the request's own
    transaction may hold.
    """
    if conn.dialect.name == "sqlite":
        wanted = has_request_context() or _immediate.get()
        immediate = wanted and not conn.get_execution_options().get("deferred_begin")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def replace_participant_rows(connection, model, participant_ids, rows_for, batch: int = 500) -> None:
    """A projection's rows of these participants made anew, `batch` at a time, in the caller's
    transaction: `rows_for(ids)` gives the new rows of a batch (none for a participant with nothing
    to keep), and the old rows of the batch go. The projections keep one row per participant beside
    the log, keyed by `participant_id`."""
    ids = sorted(set(participant_ids))
    for start in range(0, len(ids), batch):
        part = ids[start:start + batch]
        rows = rows_for(part)
        connection.execute(sa.delete(model).where(model.participant_id.in_(part)))
        if rows:
            connection.execute(sa.insert(model), rows)


def after_every_flush(listener) -> None:
    """Call `listener(session, flush_context)` after each flush of any Flask-SQLAlchemy session, once
    per process whatever the number of apps: what a projection kept beside the log needs to stay
    in the flush's own transaction."""
    from flask_sqlalchemy.session import Session

    if not event.contains(Session, "after_flush", listener):
        event.listen(Session, "after_flush", listener)
