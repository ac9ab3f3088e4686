"""Keeping the state projection in the transaction of every change to the log.

Every way in that writes through the ORM — an append or correction from the web or the API, a
fact correction, an identification, a group session's attendances, an erasure — flushes new
`Event` rows through a session. After each flush, the kept states of their participants are made
anew (`projection.refresh_states`) on the flush's own connection, so they commit or roll back
with the events. No service calls anything. The import writes on the Core level and calls
`refresh_states` itself.
"""


from casework.db import after_every_flush
from casework.events.models import Event
from casework.events.projection import refresh_states


def logs_touched(session) -> set[str]:
    """Participants whose log this flush adds to (events are never edited or deleted)."""
    return {obj.participant_id for obj in session.new if isinstance(obj, Event) and obj.participant_id}


def _refresh_after_flush(session, _flush_context) -> None:
    touched = logs_touched(session)
    if touched:
        refresh_states(touched, session.connection())


def init_sync() -> None:
    after_every_flush(_refresh_after_flush)
