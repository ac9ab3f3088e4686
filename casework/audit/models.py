import datetime as dt

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Mapped, mapped_column

from casework.db import timestamp_column
from casework.extensions import db


class AccessLogEntry(db.Model):
    """One read of one participant's personal data (loggkontroll). Ids only, no personal data.

    Each entry carries the hash of the previous one and its own position, signed with the audit
    key, so an edited or removed row breaks the chain (casework.audit.chain). `seq` and `key_id`
    are NULL on entries from before the chain was keyed.
    """

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = timestamp_column()
    user_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    participant_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    route: Mapped[str] = mapped_column(sa.String(120))
    purpose: Mapped[str] = mapped_column(sa.String(60))
    seq: Mapped[int | None] = mapped_column(sa.BigInteger)
    key_id: Mapped[str | None] = mapped_column(sa.String(40))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


class AppendOnly(Exception):
    """Raised when the application tries to edit or delete a row of an append-only table."""


def append_only(model, what: str) -> None:
    """Refuse every ORM update or delete of `model`'s rows."""

    @sa_event.listens_for(model, "before_update")
    def refuse_update(mapper, connection, target):
        raise AppendOnly(f"{what} are never edited.")

    @sa_event.listens_for(model, "before_delete")
    def refuse_delete(mapper, connection, target):
        raise AppendOnly(f"{what} are never deleted.")


append_only(AccessLogEntry, "Access-log entries")
