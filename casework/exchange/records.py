"""What an import reads from a file, what it finds wrong, and what it reports having done.

Shared by the steps of an import (`parsing`, `checking`, `logs`, `writing`): each line becomes a
record, the records are resolved against the database into a `Plan`, and the `Findings` collect
every `line N: field: message` error on the way.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from casework.errors import flatten_messages
from casework.events.models import Event
from casework.participants.models import Participant
from casework.teams.models import Team

CHUNK = 500
FACTS = ("gender", "birth_year", "education", "support_months_before")  # a participant's facts, never personal


@dataclass
class ImportSummary:
    teams_added: int = 0
    teams_updated: int = 0
    teams_unchanged: int = 0
    participants_added: int = 0
    participants_skipped: int = 0
    events_added: int = 0
    events_skipped: int = 0
    history_added: int = 0
    history_skipped: int = 0
    group_sessions_added: int = 0
    group_sessions_skipped: int = 0
    organisation_added: int = 0
    organisation_updated: int = 0
    organisation_skipped: int = 0
    team_slugs: list[str] = field(default_factory=list)  # the teams the file names, in order
    participant_ids: set[str] = field(default_factory=set)  # whose rows or logs the import wrote

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("team_slugs", "participant_ids")}

    def __str__(self) -> str:
        return (f"teams: {self.teams_added} added, {self.teams_updated} updated, {self.teams_unchanged} unchanged; "
                f"participants: {self.participants_added} added, {self.participants_skipped} already present; "
                f"events: {self.events_added} added, {self.events_skipped} already present; "
                f"history: {self.history_added} added, {self.history_skipped} already present; "
                f"staff, budget and meetings: {self.organisation_added} added, {self.organisation_updated} changed, "
                f"{self.organisation_skipped} already present"
                + (f"; group sessions: {self.group_sessions_added} added, {self.group_sessions_skipped} already present"
                   if self.group_sessions_added or self.group_sessions_skipped else ""))


@dataclass
class TeamRecord:
    line: int
    slug: str
    name: str
    federation: str
    settings: dict


@dataclass
class ParticipantRecord:
    line: int
    team: str
    ref: str
    loaded: dict
    existing: Participant | None = None


@dataclass(slots=True)  # a big file holds hundreds of thousands
class EventRecord:
    line: int
    ext_id: str
    ref: str
    team: str | None
    type: str
    date: dt.date | None
    public: dict
    personal: dict
    note: str | None
    proxy_id: str = ""
    target: str | None = None  # the voided event: a database id or another record's proxy id
    skip: bool = False
    normalised_pnr: str | None = None  # of an `identified` line, once checked


@dataclass
class HistoryRecord:
    line: int
    team: str
    start: dt.date
    end: dt.date
    figures: dict
    source: str
    skip: bool = False  # already imported with the same figures


@dataclass
class GroupSessionRecord:
    line: int
    ext_id: str
    team: str
    date: dt.date
    kind: str
    hours: float
    attendees: list[str]
    note: str | None


@dataclass
class OrganisationRecord:
    """A `staff`, `budget` or `meeting` line; `values` use the model's attribute names."""

    line: int
    kind: str
    team: str
    values: dict
    existing: object = None  # the record it changes (same staff id and start, same line and period, same meeting)
    skip: bool = False  # already present with the same values


@dataclass
class Plan:
    """Everything a valid file will write, resolved against the database."""

    teams: list[TeamRecord] = field(default_factory=list)
    participants: list[ParticipantRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    history: list[HistoryRecord] = field(default_factory=list)
    group_sessions: list[GroupSessionRecord] = field(default_factory=list)
    organisation: list[OrganisationRecord] = field(default_factory=list)
    db_teams: dict[str, Team] = field(default_factory=dict)
    db_participants: dict[tuple[str, str], Participant] = field(default_factory=dict)
    events_by_key: dict[tuple[str, str], list[EventRecord]] = field(default_factory=lambda: defaultdict(list))
    existing_events: dict[str, list[Event]] = field(default_factory=dict)


@dataclass
class Findings:
    """The errors found so far, as (line, field, message), and what they make unreliable.

    A team, participant or log with a bad line is remembered so that the lines depending on it
    are not reported again for the same fault ("Unknown participant" after a bad participant line).
    """

    errors: list[tuple[int, str, str]] = field(default_factory=list)
    broken_refs: set[str] = field(default_factory=set)  # refs of participant lines already reported as bad
    broken_logs: set[str] = field(default_factory=set)  # refs with an event line already reported as bad
    broken_teams: set[str] = field(default_factory=set)  # slugs of team lines already reported as bad

    def error(self, line: int, field_name: str, message: str) -> None:
        self.errors.append((line, field_name, message))

    def errors_from(self, line: int, messages, prefix: str = "") -> None:
        """marshmallow's messages for one line; a schema-wide message names the line (or `prefix`)."""
        for path, texts in flatten_messages(messages, prefix).items():
            field_name = ".".join(part for part in path.split(".") if part and part != "_schema") or "line"
            for text in texts:
                self.error(line, field_name, text)


def chunks(values, size: int = CHUNK) -> Iterator[list]:
    """`values` in lists of `size`, for IN (...) queries of bounded length."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]
