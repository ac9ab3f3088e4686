"""API bearer tokens (and the calendar feed's): stored as SHA-256, scoped, expiring, revocable.

A `read` token may only read (GET, HEAD); `write` may also change things. API tokens expire
after DEFAULT_DAYS unless told otherwise; calendar-feed tokens have no expiry (the referrer
renews or revokes the feed on the schedule page). Last use is written at most once a minute.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from casework.audit.security import security_event
from casework.auth import clock
from casework.auth.models import ApiToken, User
from casework.errors import NotFound, ValidationFailed
from casework.extensions import db
from casework.text import text_problem

SCOPES = ("read", "write")
READ_METHODS = frozenset({"GET", "HEAD"})
DEFAULT_DAYS = 90
MAX_DAYS = 366
LAST_USE_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, purpose: str = "api", *, scope: str = "read", days: int | None = None,
                name: str = "") -> str:
    """Return a new secret token (shown once); only its hash is kept."""
    if scope not in SCOPES:
        raise ValidationFailed("token.scope_invalid", "The scope is read or write.", "scope")
    if days is None and purpose == "api":
        days = DEFAULT_DAYS
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValidationFailed("token.days_invalid", f"A token lives 1 to {MAX_DAYS} days.", "days",
                               max_days=MAX_DAYS)
    if len(name) > 100:
        raise ValidationFailed("token.name_too_long", "The name is at most 100 characters.", "name")
    if problem := text_problem(name):
        raise ValidationFailed(problem, "name")
    if not user.active:
        raise ValidationFailed("user.deactivated", "The user is deactivated.", "email")
    token, now = secrets.token_urlsafe(32), clock.now()
    db.session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), purpose=purpose, scope=scope,
                            created_at=now, expires_at=now + timedelta(days=days) if days is not None else None,
                            name=name.strip()))
    db.session.flush()
    return token


def usable_token(token: str, purpose: str = "api") -> ApiToken | None:
    """The token's row if it is current (not revoked, not expired, its user active); use is noted.

    The user and their teams come in the same query: every call with a token needs both (who is
    calling, and which teams' participants they may reach), and each lazy load is a round trip.
    """
    row = db.session.scalars(sa.select(ApiToken).options(joinedload(ApiToken.user).joinedload(User.teams))
                             .where(ApiToken.token_hash == token_hash(token), ApiToken.purpose == purpose,
                                    ApiToken.revoked_at.is_(None))).unique().one_or_none()
    now = clock.now()
    if row is None or not row.user.active or (row.expires_at and clock.as_utc(row.expires_at) <= now):
        return None
    last = clock.as_utc(row.last_used_at)
    if last is None or now - last >= LAST_USE_EVERY:
        row.last_used_at = now
        security_event("token_used", token_id=row.id, purpose=purpose, user_id=row.user_id)
        db.session.flush()
    return row


def user_for_token(token: str, purpose: str = "api") -> User | None:
    row = usable_token(token, purpose)
    return row.user if row is not None else None


def allows(row: ApiToken, method: str) -> bool:
    return row.scope == "write" or method.upper() in READ_METHODS


def tokens_of(user: User, purpose: str = "api") -> list[ApiToken]:
    """Current tokens first (newest first), then revoked or expired ones."""
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.purpose == purpose)
                                   .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())))


def is_current(row: ApiToken) -> bool:
    return row.revoked_at is None and (row.expires_at is None or clock.as_utc(row.expires_at) > clock.now())


def get_token(token_id: str, owner: User | None = None) -> ApiToken:
    """A token by id; with `owner`, only one of theirs (another's is 'not found', not 'forbidden')."""
    row = db.session.get(ApiToken, token_id)
    if row is None or (owner is not None and row.user_id != owner.id):
        raise NotFound("token.not_found", "No such token.", "token")
    return row


def revoke(row: ApiToken) -> None:
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        db.session.flush()


def revoke_tokens(user: User, purpose: str = "api") -> int:
    rows = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.purpose == purpose,
                                                        ApiToken.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = clock.now()
    db.session.flush()
    return len(rows)


def revoke_all(user: User) -> int:
    """Every token of every purpose (API and calendar feed): for a deactivated account."""
    rows = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id,
                                                        ApiToken.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = clock.now()
    db.session.flush()
    return len(rows)
