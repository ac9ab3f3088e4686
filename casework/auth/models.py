from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

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

    teams: Mapped[list[Team]] = relationship(secondary=user_teams, order_by=Team.name)
    federation: Mapped[Federation | None] = relationship()

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
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[str] = mapped_column(sa.String(20), default="api")
    created_at: Mapped[datetime] = timestamp_column()
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship()
