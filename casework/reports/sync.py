"""Keeping the report projection in the transaction of every change to the log.

Every way in that writes through the ORM — an append or correction from the web or the API, a
fact correction, an identification, a group session's attendances, an erasure — flushes new
`Event` rows (or a new or changed `Participant`) through a session. After each flush, the rows of
the participants it touched are made anew (`projection.refresh_participants`) on the flush's own
connection, so they commit or roll back with it. No service calls anything, and the events
package never learns about reports. The import writes on the Core level and calls
`refresh_participants` itself.
"""

import sqlalchemy as sa

from casework.db import after_every_flush
from casework.events.facts import FACT_NAMES
from casework.events.models import Event
from casework.participants.models import Participant
from casework.reports.projection import refresh_participants

WATCHED = (*FACT_NAMES, "team_id")


def touched_participants(session) -> set[str]:
    """Participants whose projected row this flush may change: new events, new participants, and
    participants whose facts or team changed."""
    touched = set()
    for obj in session.new:
        if isinstance(obj, Event):
            touched.add(obj.participant_id)
        elif isinstance(obj, Participant):
            touched.add(obj.id)
    for obj in session.dirty:
        if isinstance(obj, Participant):
            state = sa.inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in WATCHED):
                touched.add(obj.id)
    touched.discard(None)
    return touched


def _refresh_after_flush(session, _flush_context) -> None:
    touched = touched_participants(session)
    if touched:
        refresh_participants(touched, session.connection())


def init_sync() -> None:
    after_every_flush(_refresh_after_flush)
