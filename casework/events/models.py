import datetime as dt

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.crypto.fields import EncryptedJson, EncryptedText
from casework.db import id_column, timestamp_column
from casework.extensions import db

ERASABLE_COLUMNS = frozenset({"note_enc", "personal_enc"})


class Event(db.Model):
    """One immutable step in a participant's log.

    `data` holds the validated, non-personal payload; the payload's personal fields and the note
    are encrypted, read through `personal` (a dict) and `note` (the caller logs the read).
    `team_id` is copied from the participant so reports filter without a join.
    `seq` is the participant's own insertion order. A row is never updated or deleted; the only
    change allowed is erasure nulling its ciphertexts.
    """

    __tablename__ = "events"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "ext_id"),
        sa.UniqueConstraint("participant_id", "seq"),
        sa.Index("ix_events_team_type_date", "team_id", "type", "date"),
    )

    id: Mapped[str] = id_column()
    ext_id: Mapped[str] = mapped_column(sa.String(64))
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"))
    participant_id: Mapped[str] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    seq: Mapped[int] = mapped_column(sa.Integer)
    type: Mapped[str] = mapped_column(sa.String(32))
    date: Mapped[dt.date] = mapped_column(sa.Date)
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    personal_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    note_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    voids_event_id: Mapped[str | None] = mapped_column(sa.ForeignKey("events.id"), index=True)
    recorded_by_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = timestamp_column()

    participant = relationship("Participant")
    recorded_by = relationship("User")

    data_key_owner = "participant_id"
    personal = EncryptedJson("personal_enc")
    note = EncryptedText("note_enc")


class ImmutableEvent(Exception):
    pass


@sa_event.listens_for(Event, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise ImmutableEvent("Events are never deleted; record a correction instead.")


@sa_event.listens_for(Event, "before_update")
def _refuse_update(mapper, connection, target):
    state = sa.inspect(target)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    erasing = changed <= ERASABLE_COLUMNS and all(getattr(target, c) is None for c in changed)
    if not erasing:
        raise ImmutableEvent("Events are never edited; record a correction instead.")


class KeptState(db.Model):
    """The state projection: one row per participant with events, its folded state (no settings applied).

    `state` is `casework.events.projection`'s compact JSON of the `ParticipantState` the log folds
    to, with what the task list reads of the latest episode beside it. Derived, never a source:
    kept in the transaction of every change to the log (`casework.events.sync`, and the import
    through `refresh_states`) and made anew by `casework participants rebuild-states`.
    """

    __tablename__ = "participant_states"

    participant_id: Mapped[str] = mapped_column(sa.ForeignKey("participants.id"), primary_key=True)
    state: Mapped[str] = mapped_column(sa.Text)
