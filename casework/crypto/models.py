"""Per-participant data keys, stored only wrapped by a master key."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.db import timestamp_column
from casework.extensions import db


class DataKey(db.Model):
    """Destroying this row (erasure) makes every ciphertext of the participant unreadable."""

    __tablename__ = "data_keys"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    participant_id: Mapped[str] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE"), unique=True
    )
    master_key_id: Mapped[str] = mapped_column(sa.String(40), index=True)
    wrapped_key: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = timestamp_column()


class SystemKey(db.Model):
    """A data key that belongs to no participant, for what outlives a participant's own key (the
    reasons kept in the erasure ledger and on legal holds). Wrapped by the master key like a
    participant's key, and re-wrapped by a master-key rotation; never destroyed by an erasure."""

    __tablename__ = "system_keys"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(40), unique=True)
    master_key_id: Mapped[str] = mapped_column(sa.String(40), index=True)
    wrapped_key: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = timestamp_column()
