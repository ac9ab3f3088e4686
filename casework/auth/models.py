from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.crypto.fields import SealedSecret
from casework.db import id_column, timestamp_column
from casework.extensions import db
from casework.teams.models import Federation, Team

user_teams = sa.Table(
    "user_teams",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("team_id", sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    """Staff, referrers, analysts, auditors and admins. Their e-mail is work contact data."""

    __tablename__ = "users"

    id: Mapped[str] = id_column()
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    role: Mapped[str] = mapped_column(sa.String(20))
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    federation_id: Mapped[str | None] = mapped_column(sa.ForeignKey("federations.id"), index=True)
    created_at: Mapped[datetime] = timestamp_column()
    # The TOTP secret, sealed by the master key named in totp_key_id (never stored in clear).
    totp_secret_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    totp_key_id: Mapped[str | None] = mapped_column(sa.String(40))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The last accepted TOTP time-step: a code of this step or an earlier one is refused (replay).
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    teams: Mapped[list[Team]] = relationship(secondary=user_teams, order_by=Team.name)
    federation: Mapped[Federation | None] = relationship()

    totp_secret = SealedSecret("totp_secret_enc", key_id="totp_key_id")

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def team_ids(self) -> set[str]:
        return {t.id for t in self.teams}

    @property
    def label(self) -> str:
        return self.name or self.email


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored. `read` allows GET/HEAD only, `write` any method."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(20), default="api")
    created_at: Mapped[datetime] = timestamp_column()
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    name: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    scope: Mapped[str] = mapped_column(sa.String(10), default="read", server_default="read")
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A single-use second factor for a lost phone: SHA-256 of a per-code salt and the code.

    The codes are random (50 bits), so a fast salted hash is enough; nobody can guess them offline.
    """

    __tablename__ = "recovery_codes"

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(sa.String(32))
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = timestamp_column()
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class UserSession(db.Model):
    """A signed-in browser, checked on every request; the cookie holds only the secret whose
    SHA-256 is `id`. `stage` is `pending` between the password and the second factor, then `full`.

    `expires_at` is fixed when the record is made (absolute lifetime); `last_seen_at` drives the
    idle timeout; `authenticated_at` is the last password-and-code check (re-authentication).
    `client` is a short browser/OS summary, nothing more about the person.
    """

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(sa.String(10))
    created_at: Mapped[datetime] = timestamp_column()
    last_seen_at: Mapped[datetime] = timestamp_column()
    authenticated_at: Mapped[datetime] = timestamp_column()
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    failed_codes: Mapped[int] = mapped_column(sa.Integer, default=0)
    client: Mapped[str] = mapped_column(sa.String(60), default="")

    user: Mapped[User] = relationship()


class RateLimitCounter(db.Model):
    """One fixed window of a rate limit (sign-in failures, token use, feed use): how many hits
    `key` has had until `expires_at`. Written only by `casework.auth.counters`, outside the
    request's transaction, so that a refused attempt (whose request rolls back) still counts.

    Keys hold keyed hashes of the e-mail address, user id, client address or token, never the
    value itself.
    """

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    count: Mapped[int] = mapped_column(sa.Integer)
