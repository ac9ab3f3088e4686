"""Consents (recorded by `enrolled`, `consent_given` and `consent_withdrawn` events) and what they stop.

For other areas to call:
- `has_consent(state, scope)`: e.g. the referrer's view shows nothing of a person without
  `information_sharing`;
- `excluded_from_detailed_exports(participant_ids)`: ids that must not appear in any detailed
  export (exchange export, per-person lists outside the team) because `statistics` was declined
  at enrolment or withdrawn later. They still count in aggregate totals. A subject-access export
  is exempt: it is the person's own right.
"""

from collections import defaultdict

import sqlalchemy as sa

from casework.events.models import Event
from casework.events.service import effective
from casework.extensions import db

CONSENT_EVENT_TYPES = ("enrolled", "consent_given", "consent_withdrawn", "correction")


def has_consent(state, scope: str) -> bool:
    """Whether the consent `scope` holds now, from a derived ParticipantState."""
    return scope in state.consents


def statistics_status(events) -> str:
    """`given`, `withdrawn`, `declined` (enrolled without it) or `unknown` (never asked), from the log."""
    status = "unknown"
    for event in effective(events):
        if event.type == "enrolled":
            status = "given" if "statistics" in event.data.get("consents", []) else "declined"
        elif event.type in ("consent_given", "consent_withdrawn") and event.data.get("scope") == "statistics":
            status = "given" if event.type == "consent_given" else "withdrawn"
    return status


def excluded_from_detailed_exports(participant_ids) -> set[str]:
    """One query per 500 ids; only the events that bear on consent are read."""
    ids = list(participant_ids)
    by_participant = defaultdict(list)
    for start in range(0, len(ids), 500):
        rows = db.session.scalars(sa.select(Event).where(Event.participant_id.in_(ids[start:start + 500]),
                                                         Event.type.in_(CONSENT_EVENT_TYPES)))
        for event in rows:
            by_participant[event.participant_id].append(event)
    return {pid for pid, events in by_participant.items() if statistics_status(events) in ("withdrawn", "declined")}
