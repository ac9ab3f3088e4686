"""The input of the report computation: statistical facts only, never personal data."""

from datetime import date
from types import MappingProxyType
from typing import NamedTuple


class ParticipantFacts(NamedTuple):
    id: str
    team_id: str
    gender: str
    birth_year: int
    education: str
    support_months_before: int | None


class EventFact(NamedTuple):
    """An event of the log; `data` is its validated, non-personal payload (never mutated).

    Corrections are included (with `voids_event_id`) so that the computation resolves them
    exactly as the event service does. A named tuple, as reports build one per reported event.
    """

    id: str
    participant_id: str
    type: str
    date: date
    data: dict = MappingProxyType({})
    seq: int = 0
    voids_event_id: str | None = None


class HistoryFigures(NamedTuple):
    """Aggregate figures of a period before the team used Casework, imported from a `history` line
    (DOMAIN.md §6): shown as imported, and only where the log has nothing for that period."""

    start: date
    end: date
    figures: dict
    source: str
