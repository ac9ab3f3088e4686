"""The one clock of sign-in, sessions, second factor and tokens.

Tests move time by patching `now` here instead of sleeping.
"""

from datetime import UTC, datetime

from casework.db import utcnow


def now() -> datetime:
    return utcnow()


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for timezone-aware columns; they were written as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
