from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.crypto.fields import EncryptedJson, EncryptedText
from casework.db import id_column, timestamp_column
from casework.extensions import db
from casework.teams.models import Team


class Participant(db.Model):
    """Statistical facts in clear; personal data only as ciphertext under the participant's key.

    `ref` is the external reference (from the exchange format or generated); it is not personal
    data. `pnr_index` is the blind index of the personnummer, never the number itself.
    """

    __tablename__ = "participants"
    __table_args__ = (sa.UniqueConstraint("team_id", "ref"),)

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    ref: Mapped[str] = mapped_column(sa.String(64), index=True)
    anonymous: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    gender: Mapped[str] = mapped_column(sa.String(10))
    birth_year: Mapped[int] = mapped_column(sa.Integer)
    education: Mapped[str] = mapped_column(sa.String(30), default="unknown")
    support_months_before: Mapped[int | None] = mapped_column(sa.Integer)
    name_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    personnummer_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    contact_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    pnr_index: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    erased_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = timestamp_column()

    team: Mapped[Team] = relationship()

    data_key_owner = "id"
    name = EncryptedText("name_enc")
    personnummer = EncryptedText("personnummer_enc")
    contact = EncryptedJson("contact_enc")

    @property
    def pseudonym(self) -> str:
        return f"Raderad {self.id[:8].upper()}"
