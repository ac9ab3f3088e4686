"""A `limits` storage over the application's database (`casework+db://`, the default of
CASEWORK_RATELIMIT_STORAGE_URI): the counters of the fixed-window strategy in the table
`rate_limit_counters`, shared by every worker and every machine that shares the database.

Each call runs on a connection of its own in a short transaction of its own, never in the
request's: a refused sign-in is answered 400 and its request rolls back, but its failure must
still count. A hit is one atomic upsert (INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite
and PostgreSQL alike): concurrent hits on one key never lose an increment, and a window that has
run out starts again at the hit's own amount. Rows of windows that have run out are deleted by
the next hit after PURGE_EVERY.

On SQLite a request's transaction holds the database's write lock from its first query to its
end (see `casework.db`), so a hit must come before the request touches the database or after it
has committed or rolled back; `casework.auth.throttle` arranges that. Reads begin deferred and
never wait for that lock.

Time is `casework.auth.clock.now`, so tests move it by patching instead of sleeping.
"""

from datetime import timedelta
from typing import ClassVar

import sqlalchemy as sa
from flask import current_app
from limits.errors import ConfigurationError
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite

from casework.auth import clock
from casework.auth.models import RateLimitCounter
from casework.extensions import db

ENGINE_KEY = "casework.rate_limit_engine"
PURGE_EVERY = timedelta(minutes=1)
INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
table = RateLimitCounter.__table__


def use_engine(app, engine: sa.Engine) -> None:
    """Keep the app's counters in another database than its own (which needs the table too).

    The test suite on SQLite does so: each test holds the main file's write lock until its end.
    """
    app.extensions[ENGINE_KEY] = engine


def _engine() -> sa.Engine:
    return current_app.extensions.get(ENGINE_KEY) or db.engine


def _reading():
    return _engine().connect().execution_options(deferred_begin=True)


class DatabaseStorage(Storage):
    """Fixed-window counters in `rate_limit_counters` (the only strategy Casework configures)."""

    STORAGE_SCHEME: ClassVar[list[str]] = ["casework+db"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._purged_at = None

    @property
    def base_exceptions(self):
        return sa.exc.SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = clock.now()
        engine = _engine()
        if engine.dialect.name not in INSERTS:
            raise ConfigurationError(f"casework+db:// needs SQLite or PostgreSQL, not {engine.dialect.name}.")
        self._purge_now_and_then(now)
        insert = INSERTS[engine.dialect.name](table).values(key=key, expires_at=now + timedelta(seconds=expiry),
                                                           count=amount)
        ended = table.c.expires_at <= now
        upsert = insert.on_conflict_do_update(index_elements=[table.c.key], set_={
            "count": sa.case((ended, insert.excluded.count), else_=table.c.count + insert.excluded.count),
            "expires_at": sa.case((ended, insert.excluded.expires_at), else_=table.c.expires_at),
        }).returning(table.c.count)
        with engine.begin() as conn:
            return conn.execute(upsert).scalar_one()

    def get(self, key: str) -> int:
        with _reading() as conn:
            count = conn.execute(sa.select(table.c.count).where(table.c.key == key,
                                                                 table.c.expires_at > clock.now())).scalar()
        return count or 0

    def get_expiry(self, key: str) -> float:
        """When the key's window ends (a POSIX timestamp); now if it has no running window."""
        now = clock.now()
        with _reading() as conn:
            ends = conn.execute(sa.select(table.c.expires_at).where(table.c.key == key,
                                                                     table.c.expires_at > now)).scalar()
        return (clock.as_utc(ends) if ends is not None else now).timestamp()

    def check(self) -> bool:
        try:
            with _reading() as conn:
                conn.execute(sa.select(sa.func.count()).select_from(table).where(sa.false()))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def reset(self) -> int:
        with _engine().begin() as conn:
            return conn.execute(sa.delete(table)).rowcount

    def clear(self, key: str) -> None:
        with _engine().begin() as conn:
            conn.execute(sa.delete(table).where(table.c.key == key))

    def purge(self, now=None) -> int:
        """Delete the rows of windows that have run out; returns how many.

        On PostgreSQL rows that another transaction holds are skipped (the next purge takes them),
        so two workers purging at once cannot deadlock.
        """
        engine = _engine()
        ended = sa.select(table.c.key).where(table.c.expires_at <= (now or clock.now()))
        if engine.dialect.name == "postgresql":
            ended = ended.with_for_update(skip_locked=True)
        with engine.begin() as conn:
            return conn.execute(sa.delete(table).where(table.c.key.in_(ended))).rowcount

    def _purge_now_and_then(self, now) -> None:
        if self._purged_at is None or not self._purged_at <= now < self._purged_at + PURGE_EVERY:
            self._purged_at = now
            self.purge(now)
