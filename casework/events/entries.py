"""The lean form of an event that deriving a state reads (shared by the service and the state projection)."""

import json

import sqlalchemy as sa

from casework.events.models import Event


class LogEntry:
    """What deriving a state reads of one event: no ciphertexts, and `data` decoded only when read.

    A list page derives the state of a whole team; most of its events (activities, assessments…)
    never have their payload looked at, and plain slotted objects are quicker to replay than ORM
    objects or result rows.
    """

    __slots__ = ("id", "participant_id", "seq", "type", "date", "voids_event_id", "_text", "_data")

    def __init__(self, id, participant_id, seq, type, date, voids_event_id, text):  # noqa: A002 (column names)
        self.id, self.participant_id, self.seq, self.type = id, participant_id, seq, type
        self.date, self.voids_event_id, self._text, self._data = date, voids_event_id, text, None

    @property
    def data(self) -> dict:
        if self._data is None:
            self._data = json.loads(self._text) if self._text else {}
        return self._data


STATE_COLUMNS = (Event.id, Event.participant_id, Event.seq, Event.type, Event.date, Event.voids_event_id,
                 sa.cast(Event.data, sa.Text))

