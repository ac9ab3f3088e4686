"""Server-side session records: every signed-in request is checked against one.

The cookie carries only a random secret; the record's id is its SHA-256, so a database dump
yields no usable cookie. A record is `pending` from the password until the second factor (a
few minutes, no page but the code pages) and `full` after. A full record ends at its absolute
expiry (fixed at sign-in, CASEWORK_SESSION_MINUTES), after CASEWORK_IDLE_MINUTES without a
request, at sign-out, or when the account's password, second factor or status changes.
"""

import hashlib
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from casework.auth import clock
from casework.auth.models import User, UserSession
from casework.extensions import db

PENDING_MINUTES = 5
MAX_FAILED_CODES = 5
TOUCH_EVERY = timedelta(minutes=1)
_BROWSERS = ("Edg", "Firefox", "Chrome", "Safari")
_SYSTEMS = ("Windows", "Android", "iPhone", "iPad", "Mac OS", "Linux")


def _record_id(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def client_summary(user_agent: str | None) -> str:
    """Browser and system family only ("Firefox / Linux"): enough to recognise one's own
    sessions, too little to fingerprint anyone."""
    agent = user_agent or ""
    browser = next((b for b in _BROWSERS if re.search(rf"\b{b}/", agent)), "")
    system = next((s for s in _SYSTEMS if s in agent), "")
    return " / ".join(part for part in ({"Edg": "Edge"}.get(browser, browser), system) if part)[:60]


def start(user: User, stage: str, user_agent: str | None = None) -> tuple[str, UserSession]:
    """A new record and the secret for the cookie (new at every sign-in: the id rotates)."""
    now = clock.now()
    lifetime = (timedelta(minutes=PENDING_MINUTES) if stage == "pending"
                else timedelta(minutes=current_app.config["SESSION_MINUTES"]))
    secret = secrets.token_urlsafe(32)
    row = UserSession(id=_record_id(secret), user_id=user.id, stage=stage, created_at=now, last_seen_at=now,
                      authenticated_at=now, expires_at=now + lifetime, client=client_summary(user_agent),
                      failed_codes=0)
    db.session.add(row)
    db.session.flush()
    return secret, row


def current(secret: str | None, stage: str = "full") -> UserSession | None:
    """The live record behind a cookie's secret, its last-seen time updated; else None (and a
    record found expired is ended, so that it is not shown as active anywhere)."""
    if not secret:
        return None
    row = db.session.get(UserSession, _record_id(secret))
    if row is None or row.ended_at is not None or row.stage != stage:
        return None
    now = clock.now()
    if not row.user.active or now >= clock.as_utc(row.expires_at) or _idle(row, now):
        end(row)
        return None
    if now - clock.as_utc(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = now
        db.session.flush()
    return row


def _idle(row: UserSession, now) -> bool:
    if row.stage != "full":
        return False
    return now - clock.as_utc(row.last_seen_at) > timedelta(minutes=current_app.config["IDLE_MINUTES"])


def count_failed_code(row: UserSession) -> bool:
    """Note a wrong code; True when the pending sign-in has had too many and is ended."""
    row.failed_codes += 1
    if row.failed_codes >= MAX_FAILED_CODES:
        row.ended_at = clock.now()
    db.session.flush()
    return row.ended_at is not None


def mark_authenticated(row: UserSession) -> None:
    row.authenticated_at = clock.now()
    db.session.flush()


def authenticated_within(row: UserSession | None, minutes: int) -> bool:
    return row is not None and clock.now() - clock.as_utc(row.authenticated_at) <= timedelta(minutes=minutes)


def end(row: UserSession) -> None:
    if row.ended_at is None:
        row.ended_at = clock.now()
        db.session.flush()


def end_all(user: User, keep: UserSession | None = None) -> int:
    """End every open session of the user (but `keep`); returns how many."""
    query = sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    result = db.session.execute(query.values(ended_at=clock.now()).execution_options(synchronize_session="fetch"))
    return result.rowcount


def active_sessions(user: User) -> list[UserSession]:
    """Open full sessions that have not timed out, newest first."""
    now = clock.now()
    rows = db.session.scalars(sa.select(UserSession).where(
        UserSession.user_id == user.id, UserSession.stage == "full", UserSession.ended_at.is_(None))
        .order_by(UserSession.created_at.desc()))
    return [row for row in rows if now < clock.as_utc(row.expires_at) and not _idle(row, now)]


def get_session_of(user: User, record_id: str) -> UserSession | None:
    row = db.session.get(UserSession, record_id)
    return row if row is not None and row.user_id == user.id else None
