"""Who is whose (referrer links), invitations for unknown referrers, and reminders sent.

No table here holds an e-mail address in clear: a referrer's address is personal data kept
encrypted in the referral event; links and invitations carry only a keyed hash of it.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.db import id_column, timestamp_column
from casework.extensions import db


class ReferrerLink(db.Model):
    """The referrer named by one `referral_received` or `referrer_changed` event.

    `email_index` is an HMAC of the normalised address (see `links.email_index`), or "-" when the
    event names no e-mail; `user_id` is set when a referrer account with that address existed
    when the link was made. A link
    whose user is not known yet resolves through the e-mail index once the account exists.
    The participant's current referrer is the link of their latest effective such event, so a
    correction voiding the event also undoes the link.
    """

    __tablename__ = "referrer_links"

    id: Mapped[str] = id_column()
    event_id: Mapped[str] = mapped_column(sa.ForeignKey("events.id"), unique=True)
    participant_id: Mapped[str] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    email_index: Mapped[str] = mapped_column(sa.String(64), index=True)
    user_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = timestamp_column()

    event = relationship("Event")
    user = relationship("User")


class ReferrerInvitation(db.Model):
    """An invitation for a referrer e-mail without an account. Only hashes are stored.

    `token_hash` is the SHA-256 of the one-time link sent by mail (set when the mail goes out).
    """

    __tablename__ = "referrer_invitations"

    id: Mapped[str] = id_column()
    email_index: Mapped[str] = mapped_column(sa.String(64), unique=True)
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = timestamp_column()
    sent_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    accepted_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    user_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id"))


class ReminderSent(db.Model):
    """One reminder mailed to a referrer about one follow-up: a due date is reminded once per kind."""

    __tablename__ = "reminders_sent"
    __table_args__ = (sa.UniqueConstraint("user_id", "participant_id", "kind", "due_on"),)

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(sa.ForeignKey("users.id"), index=True)
    participant_id: Mapped[str] = mapped_column(sa.ForeignKey("participants.id"))
    kind: Mapped[str] = mapped_column(sa.String(10))
    due_on: Mapped[dt.date] = mapped_column(sa.Date)
    sent_on: Mapped[dt.date] = mapped_column(sa.Date)
    created_at: Mapped[dt.datetime] = timestamp_column()
