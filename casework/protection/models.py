import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.audit.models import append_only
from casework.crypto import system
from casework.crypto.fields import EncryptedText
from casework.db import id_column, timestamp_column
from casework.extensions import db


class ErasureRecord(db.Model):
    """The erasure ledger in the database: who was erased, when and why. No personal data; the
    reason, free text that might hold some all the same, is encrypted with the system key.

    The same ids are also appended to the ledger file next to the key file
    (`casework.crypto.ledger`), which survives a restore of the database from backup.
    """

    __tablename__ = "erasure_ledger"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    participant_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    team_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    erased_at: Mapped[dt.datetime] = timestamp_column()
    kind: Mapped[str] = mapped_column(sa.String(20))
    reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    forced: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    erased_by_id: Mapped[str | None] = mapped_column(sa.String(36))

    @property
    def reason(self) -> str | None:
        return system.decrypt_system_text(system.PROTECTION, "erasure_ledger", "reason", self.participant_id,
                                          self.reason_enc)

    def set_reason(self, reason: str) -> None:
        """Bound to the participant's id (unique in the ledger; the row id is known only later)."""
        self.reason_enc = system.encrypt_system_text(system.PROTECTION, "erasure_ledger", "reason",
                                                     self.participant_id, reason)


append_only(ErasureRecord, "Erasure-ledger entries")


class LegalHold(db.Model):
    """A legal hold (e.g. a pending complaint or court order) stops retention erasure. Its reason
    is encrypted with the system key: it is kept after the participant's erasure."""

    __tablename__ = "legal_holds"

    id: Mapped[str] = id_column()
    participant_id: Mapped[str] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    set_at: Mapped[dt.datetime] = timestamp_column()
    set_by_id: Mapped[str | None] = mapped_column(sa.String(36))
    released_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    released_by_id: Mapped[str | None] = mapped_column(sa.String(36))

    @property
    def reason(self) -> str | None:
        return system.decrypt_system_text(system.PROTECTION, "legal_holds", "reason", self.id, self.reason_enc)

    def set_reason(self, reason: str) -> None:
        self.reason_enc = system.encrypt_system_text(system.PROTECTION, "legal_holds", "reason", self.id, reason)


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
