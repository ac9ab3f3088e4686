import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.audit.models import append_only
from casework.crypto.fields import EncryptedText
from casework.db import id_column, timestamp_column
from casework.extensions import db


class ErasureRecord(db.Model):
    """The erasure ledger in the database: who was erased, when and why. No personal data.

    The same ids are also appended to the ledger file next to the key file
    (`casework.crypto.ledger`), which survives a restore of the database from backup.
    """

    __tablename__ = "erasure_ledger"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    participant_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    team_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    erased_at: Mapped[dt.datetime] = timestamp_column()
    kind: Mapped[str] = mapped_column(sa.String(20))
    reason: Mapped[str] = mapped_column(sa.String(500))
    forced: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    erased_by_id: Mapped[str | None] = mapped_column(sa.String(36))


append_only(ErasureRecord, "Erasure-ledger entries")


class LegalHold(db.Model):
    """A legal hold (e.g. a pending complaint or court order) stops retention erasure."""

    __tablename__ = "legal_holds"

    id: Mapped[str] = id_column()
    participant_id: Mapped[str] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(500))
    set_at: Mapped[dt.datetime] = timestamp_column()
    set_by_id: Mapped[str | None] = mapped_column(sa.String(36))
    released_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    released_by_id: Mapped[str | None] = mapped_column(sa.String(36))


class PersonalHistory(db.Model):
    """A previous value of a rectified personal field, encrypted with the participant's key.

    Kept for accountability until erasure, which deletes these rows with the key.
    """

    __tablename__ = "personal_history"

    id: Mapped[str] = id_column()
    participant_id: Mapped[str] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    field: Mapped[str] = mapped_column(sa.String(20))
    value_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    changed_at: Mapped[dt.datetime] = timestamp_column()
    changed_by_id: Mapped[str | None] = mapped_column(sa.String(36))

    data_key_owner = "participant_id"
    value = EncryptedText("value_enc")
