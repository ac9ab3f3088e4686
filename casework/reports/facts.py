"""The input of the report computation: statistical facts only, never personal data."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ParticipantFacts:
    id: str
    team_id: str
    gender: str
    birth_year: int
    education: str
    support_months_before: int | None


@dataclass(frozen=True)
class EventFact:
    """An event of the log; `data` is its validated, non-personal payload.

    Corrections are included (with `voids_event_id`) so that the computation resolves them
    exactly as the event service does.
    """

    id: str
    participant_id: str
    type: str
    date: date
    data: dict = field(default_factory=dict)
    seq: int = 0
    voids_event_id: str | None = None
