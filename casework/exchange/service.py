"""Import and export of the JSON Lines exchange format (DOMAIN.md §6).

Import checks every line against the file and the database before it writes anything: a file
with one bad line writes nothing, and each error names its line and field. Only then are teams,
participants and events written, events in bulk. Re-importing a file adds nothing: participants
are matched by (team, ref) and events by (participant, id).
"""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

import sqlalchemy as sa
from marshmallow import ValidationError

from casework.crypto import service as crypto
from casework.crypto.models import DataKey
from casework.db import utcnow
from casework.errors import DomainError, ValidationFailed
from casework.events.models import Event
from casework.events.ordering import voided_ids
from casework.events.registry import event_type
from casework.events.service import check_date, effective, event_values, validated_payload
from casework.events.service import TABLE as EVENTS_TABLE
from casework.events.state import replay
from casework.exchange.schemas import RECORD_KINDS, EventLine, ParticipantLine, TeamLine
from casework.extensions import db
from casework.participants import personnummer as pnr
from casework.participants.models import Participant
from casework.participants.service import CONTACT_FIELDS, build_participant
from casework.participants.service import TABLE as PARTICIPANTS_TABLE
from casework.protection.access_log import log_access
from casework.teams.models import Team
from casework.teams.service import save_team
from casework.teams.settings import load_settings

CHUNK = 500
INSERT_BATCH = 5000
FACTS = ("gender", "birth_year", "education", "support_months_before")
PERSONAL_ORDER = ("name", "personnummer", *CONTACT_FIELDS)

_schemas = {"team": TeamLine(), "participant": ParticipantLine(), "event": EventLine()}


class ImportRefused(ValidationFailed):
    """The file has bad lines; nothing was written. `line_errors` lists (line, field, message)."""

    def __init__(self, line_errors: list[tuple[int, str, str]]):
        self.line_errors = sorted(line_errors, key=lambda e: e[0])
        errors: dict[str, list[str]] = {}
        for number, field_name, message in self.line_errors:
            errors.setdefault(f"line {number}: {field_name}", []).append(message)
        super().__init__(f"{len(self.line_errors)} error(s) in the file; nothing was imported.", errors=errors)


@dataclass
class ImportSummary:
    teams_added: int = 0
    teams_updated: int = 0
    teams_unchanged: int = 0
    participants_added: int = 0
    participants_skipped: int = 0
    events_added: int = 0
    events_skipped: int = 0
    team_slugs: list[str] = field(default_factory=list)  # the teams the file names, in order

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "team_slugs"}

    def __str__(self) -> str:
        return (f"teams: {self.teams_added} added, {self.teams_updated} updated, {self.teams_unchanged} unchanged; "
                f"participants: {self.participants_added} added, {self.participants_skipped} already present; "
                f"events: {self.events_added} added, {self.events_skipped} already present")


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


@dataclass
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


@dataclass
class _Plan:
    """Everything a valid file will write, resolved against the database."""

    teams: list[TeamRecord] = field(default_factory=list)
    participants: list[ParticipantRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    db_teams: dict[str, Team] = field(default_factory=dict)
    db_participants: dict[tuple[str, str], Participant] = field(default_factory=dict)
    events_by_key: dict[tuple[str, str], list[EventRecord]] = field(default_factory=lambda: defaultdict(list))
    existing_events: dict[str, list[Event]] = field(default_factory=dict)


def import_lines(lines: Iterable[str]) -> ImportSummary:
    """Check every line, then write (only flushes; the caller commits). Raises ImportRefused."""
    checker = _Checker()
    plan = checker.check(lines)
    if checker.errors:
        raise ImportRefused(checker.errors)
    return _write(plan)


# --- checking ------------------------------------------------------------------------------


class _Checker:
    def __init__(self):
        self.errors: list[tuple[int, str, str]] = []
        self.plan = _Plan()
        self.broken_refs: set[str] = set()  # refs of participant lines already reported as bad
        self.broken_logs: set[str] = set()  # refs with an event line already reported as bad
        self.file_participants: dict[tuple[str, str], ParticipantRecord] = {}
        self.intervals: dict[str, int] = {}

    def error(self, line: int, field_name: str, message: str) -> None:
        self.errors.append((line, field_name, message))

    def errors_from(self, line: int, messages, prefix: str = "") -> None:
        for field_name, message in _flatten(messages, prefix):
            self.error(line, field_name, message)

    def check(self, lines: Iterable[str]) -> _Plan:
        for number, text in enumerate(lines, start=1):
            self._parse(number, text)
        self._load_database()
        self._check_teams()
        self._check_participants()
        self._check_events()
        return self.plan

    # parsing, line by line

    def _parse(self, number: int, text: str | bytes) -> None:
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError:
                self.error(number, "line", "Not UTF-8 text.")
                return
        if number == 1:
            text = text.removeprefix("\ufeff")  # a byte order mark, as some editors write
        if not text.strip():
            return
        try:
            raw = json.loads(text)
        except ValueError:
            self.error(number, "line", "Not valid JSON.")
            return
        if not isinstance(raw, dict):
            self.error(number, "line", "Must be a JSON object.")
            return
        kind = raw.get("record")
        if kind not in _schemas:
            self.error(number, "record", f"Must be one of: {', '.join(RECORD_KINDS)}.")
            return
        try:
            loaded = _schemas[kind].load(raw)
        except ValidationError as exc:
            self.errors_from(number, exc.messages)
            if kind == "participant" and isinstance(raw.get("ref"), str):
                self.broken_refs.add(raw["ref"])
            if kind == "event" and isinstance(raw.get("type"), str) and isinstance(raw.get("data", {}), dict):
                self._payload(number, raw["type"], raw.get("data"))
            if kind == "event" and isinstance(raw.get("ref"), str):
                self.broken_logs.add(raw["ref"])
            return
        getattr(self, f"_parse_{kind}")(number, raw, loaded)

    def _parse_team(self, number: int, raw: dict, loaded: dict) -> None:
        try:
            load_settings(loaded["settings"])
        except ValidationError as exc:
            self.errors_from(number, exc.messages, "settings")
            return
        self.plan.teams.append(TeamRecord(number, loaded["slug"], loaded["name"], loaded["federation"],
                                          loaded["settings"]))

    def _parse_participant(self, number: int, raw: dict, loaded: dict) -> None:
        personal = loaded["personal"]
        if personal.get("personnummer"):
            try:
                normalised = pnr.normalise(personal["personnummer"])
            except ValidationFailed as exc:
                self.error(number, "personal.personnummer", exc.message)
                self.broken_refs.add(loaded["ref"])
                return
            if int(normalised[:4]) != loaded["birth_year"]:
                self.error(number, "birth_year", "The birth year does not match the personnummer.")
                self.broken_refs.add(loaded["ref"])
                return
            loaded["normalised_pnr"] = normalised
        self.plan.participants.append(ParticipantRecord(number, loaded["team"], loaded["ref"], loaded))

    def _parse_event(self, number: int, raw: dict, loaded: dict) -> None:
        payload = self._payload(number, loaded["type"], loaded["data"])
        day = None
        try:
            day = check_date(loaded["date"])
        except ValidationFailed as exc:
            self.error(number, "date", exc.message)
        if payload is None or day is None:
            self.broken_logs.add(loaded["ref"])
            return
        public, personal = payload
        self.plan.events.append(EventRecord(number, loaded["id"], loaded["ref"], loaded.get("team"), loaded["type"],
                                            day, public, personal, loaded["note"] or None,
                                            proxy_id=f"line:{number}"))

    def _payload(self, number: int, type_name, data) -> tuple[dict, dict] | None:
        """Through the same validation as `append_event`, so every extension applies here too."""
        try:
            return validated_payload(type_name, data)
        except DomainError as exc:
            self.errors_from(number, exc.errors)
            return None

    # the database, in a few queries

    def _load_database(self) -> None:
        plan = self.plan
        slugs = {t.slug for t in plan.teams} | {p.team for p in plan.participants} | {e.team for e in plan.events if e.team}
        refs = {p.ref for p in plan.participants} | {e.ref for e in plan.events}
        for chunk in _chunks(sorted(slugs)):
            plan.db_teams.update((t.slug, t) for t in db.session.scalars(sa.select(Team).where(Team.slug.in_(chunk))))
        found: list[Participant] = []
        for chunk in _chunks(sorted(refs)):
            found.extend(db.session.scalars(sa.select(Participant).where(Participant.ref.in_(chunk))))
        team_ids = {p.team_id for p in found} - {t.id for t in plan.db_teams.values()}
        for chunk in _chunks(sorted(team_ids)):
            plan.db_teams.update((t.slug, t) for t in db.session.scalars(sa.select(Team).where(Team.id.in_(chunk))))
        slug_of = {t.id: slug for slug, t in plan.db_teams.items()}
        plan.db_participants = {(slug_of[p.team_id], p.ref): p for p in found}

    # teams

    def _check_teams(self) -> None:
        seen: dict[str, int] = {}
        for record in self.plan.teams:
            if record.slug in seen:
                self.error(record.line, "slug", f"The team {record.slug} appears twice in the file (line {seen[record.slug]}).")
            seen.setdefault(record.slug, record.line)

    def _team_known(self, slug: str) -> bool:
        return slug in self.plan.db_teams or any(t.slug == slug for t in self.plan.teams)

    # participants

    def _check_participants(self) -> None:
        plan = self.plan
        file_teams = {t.slug for t in plan.teams}
        seen: dict[tuple[str, str], int] = {}
        new_indexes: dict[tuple[str, str], int] = {}
        for record in plan.participants:
            key = (record.team, record.ref)
            if record.team not in file_teams and record.team not in plan.db_teams:
                self.error(record.line, "team", f"Unknown team {record.team!r}.")
                self.broken_refs.add(record.ref)
                continue
            if key in seen:
                self.error(record.line, "ref", f"The participant {record.ref} appears twice in the file (line {seen[key]}).")
                continue
            seen[key] = record.line
            self.file_participants[key] = record
            record.existing = plan.db_participants.get(key)
            if record.existing is not None:
                self._compare_facts(record)
            elif record.loaded.get("normalised_pnr"):
                index = crypto.blind_index(record.loaded["normalised_pnr"])
                if (record.team, index) in new_indexes:
                    self.error(record.line, "personal.personnummer",
                               f"The same personnummer as the participant on line {new_indexes[(record.team, index)]}.")
                new_indexes.setdefault((record.team, index), record.line)
        self._check_known_personnummer(new_indexes)

    def _compare_facts(self, record: ParticipantRecord) -> None:
        for name in FACTS:
            if getattr(record.existing, name) != record.loaded.get(name):
                self.error(record.line, name, f"Differs from the registered participant {record.ref}.")

    def _check_known_personnummer(self, new_indexes: dict[tuple[str, str], int]) -> None:
        """A new participant whose personnummer is already registered in the team (blind index only)."""
        by_team: dict[str, dict[str, int]] = defaultdict(dict)
        for (slug, index), line in new_indexes.items():
            if slug in self.plan.db_teams:
                by_team[self.plan.db_teams[slug].id][index] = line
        for team_id, indexes in by_team.items():
            for chunk in _chunks(sorted(indexes)):
                taken = db.session.scalars(sa.select(Participant.pnr_index).where(
                    Participant.team_id == team_id, Participant.pnr_index.in_(chunk)))
                for index in taken:
                    self.error(indexes[index], "personal.personnummer",
                               "A participant with this personnummer is already registered in the team.")

    # events

    def _check_events(self) -> None:
        plan = self.plan
        in_file: dict[str, set[str]] = defaultdict(set)
        in_database: dict[str, set[str]] = defaultdict(set)
        for slug, ref in self.file_participants:
            in_file[ref].add(slug)
        for slug, ref in plan.db_participants:
            in_database[ref].add(slug)
        for record in plan.events:
            slug = self._team_of(record, in_file, in_database)
            if slug is not None:
                record.team = slug
                plan.events_by_key[(slug, record.ref)].append(record)
        self._load_existing_events()
        self._match_ids()
        for key, records in plan.events_by_key.items():
            self._check_log(key, records)

    def _team_of(self, record: EventRecord, in_file: dict[str, set[str]],
                 in_database: dict[str, set[str]]) -> str | None:
        """The participant's team: named on the line, or the one the file (else the database) has the ref in."""
        slugs = in_file.get(record.ref) or in_database.get(record.ref, set())
        if record.team is not None:
            slugs = in_file.get(record.ref, set()) | in_database.get(record.ref, set())
            if not self._team_known(record.team):
                self.error(record.line, "team", f"Unknown team {record.team!r}.")
                return None
            slugs = slugs & {record.team}
        if not slugs:
            if record.ref not in self.broken_refs:
                self.error(record.line, "ref", f"Unknown participant {record.ref!r}.")
            return None
        if len(slugs) > 1:
            self.error(record.line, "ref", f"The reference {record.ref} is used in several teams; add \"team\".")
            return None
        return next(iter(slugs))

    def _participant_facts(self, key: tuple[str, str]):
        existing = self.plan.db_participants.get(key)
        if existing is not None:
            return existing.anonymous, existing.erased_at is not None
        record = self.file_participants.get(key)
        return (record.loaded["anonymous"] if record else False), False

    def _load_existing_events(self) -> None:
        plan = self.plan
        ids = [plan.db_participants[key].id for key in plan.events_by_key if key in plan.db_participants]
        logs: dict[str, list[Event]] = defaultdict(list)
        for chunk in _chunks(ids):
            for event in db.session.scalars(sa.select(Event).where(Event.participant_id.in_(chunk))):
                logs[event.participant_id].append(event)
        plan.existing_events = logs

    def _match_ids(self) -> None:
        """An id already in the team: the same event is skipped, a different one is an error."""
        plan = self.plan
        team_ids = {plan.db_teams[slug].id for slug, _ in plan.events_by_key if slug in plan.db_teams}
        taken: dict[tuple[str, str], str] = {}
        for team_id in team_ids:
            rows = db.session.execute(sa.select(Event.ext_id, Event.participant_id).where(Event.team_id == team_id))
            taken.update(((team_id, ext_id), pid) for ext_id, pid in rows)
        in_file: dict[tuple[str, str], int] = {}
        matched: list[tuple[EventRecord, Participant]] = []
        for (slug, ref), records in plan.events_by_key.items():
            team = plan.db_teams.get(slug)
            participant = plan.db_participants.get((slug, ref))
            for record in records:
                if (slug, record.ext_id) in in_file:
                    self.error(record.line, "id", f"The event id {record.ext_id} appears twice in the file for "
                                                  f"this team (line {in_file[(slug, record.ext_id)]}).")
                    record.skip = True
                    continue
                in_file[(slug, record.ext_id)] = record.line
                owner = taken.get((team.id, record.ext_id)) if team else None
                if owner is None:
                    continue
                record.skip = True
                if participant is None or owner != participant.id:
                    self.error(record.line, "id", f"The event id {record.ext_id} is already used for another participant.")
                else:
                    matched.append((record, participant))
        self._compare_matched(matched)

    def _compare_matched(self, matched: list[tuple[EventRecord, Participant]]) -> None:
        crypto.preload_data_keys(p.id for _, p in matched if p.erased_at is None)
        for record, participant in matched:
            existing = next(e for e in self.plan.existing_events[participant.id] if e.ext_id == record.ext_id)
            same = (existing.type, existing.date, existing.data) == (record.type, record.date, record.public)
            if same and participant.erased_at is None:
                same = (_personal_of(existing) == record.personal and _note_of(existing) == record.note)
            if not same:
                self.error(record.line, "id", f"The event {record.ext_id} already exists with different content.")

    def _check_log(self, key: tuple[str, str], records: list[EventRecord]) -> None:
        """Replay the participant's whole log (existing events plus new ones) for order problems."""
        anonymous, erased = self._participant_facts(key)
        participant = self.plan.db_participants.get(key)
        existing = self.plan.existing_events.get(participant.id, []) if participant else []
        by_ext_id: dict[str, object] = {e.ext_id: e for e in existing}
        seq = max((e.seq for e in existing), default=0)
        new: list[SimpleNamespace] = []
        for record in records:
            if record.skip:
                by_ext_id.setdefault(record.ext_id, None)
                continue
            if not self._event_allowed(record, anonymous, erased) or (
                    record.type == "correction" and not self._resolve_target(record, by_ext_id, [*existing, *new])):
                by_ext_id.setdefault(record.ext_id, None)
                continue
            seq += 1
            proxy = SimpleNamespace(id=record.proxy_id, ext_id=record.ext_id, type=record.type, date=record.date,
                                    data=record.public, seq=seq, voids_event_id=record.target, line=record.line)
            by_ext_id[record.ext_id] = proxy
            new.append(proxy)
        if not new or key[1] in self.broken_logs:
            return  # a log with a bad line is replayed once that line is mended, not to report its echoes
        interval = self._interval(key[0])
        _, before = replay(effective(existing), follow_up_interval_months=interval)
        _, after = replay(effective([*existing, *new]), follow_up_interval_months=interval)
        known = {(p.event_id, p.message) for p in before}
        lines = {proxy.id: proxy.line for proxy in new}
        for problem in after:
            if (problem.event_id, problem.message) in known:
                continue
            if problem.event_id in lines:
                self.error(lines[problem.event_id], problem.field, problem.message)
            else:
                self.error(new[0].line, "date", f"This would break a later step: {problem.message}")

    def _event_allowed(self, record: EventRecord, anonymous: bool, erased: bool) -> bool:
        if erased and (record.personal or record.note):
            self.error(record.line, "note", "Nothing identifying may be recorded for an erased participant.")
            return False
        if anonymous and record.note:
            self.error(record.line, "note", "No case notes are kept for an anonymous participant.")
            return False
        return True

    def _resolve_target(self, record: EventRecord, by_ext_id: dict, log: list) -> bool:
        """A correction voids an earlier event of the same participant, not yet voided."""
        voids = record.public["voids"]
        if voids not in by_ext_id:
            self.error(record.line, "data.voids", "No such event earlier in this participant's log.")
            return False
        target = by_ext_id[voids]
        if target is None:
            return False  # a line already reported as bad
        if target.type == "erased":
            self.error(record.line, "data.voids", "An erasure cannot be voided.")
            return False
        if target.id in voided_ids((e.id, e.voids_event_id) for e in log if e.type == "correction"):
            self.error(record.line, "data.voids", "That event is already voided.")
            return False
        if record.date < target.date:
            self.error(record.line, "date", "A correction cannot be dated before the event it voids.")
            return False
        record.target = target.id
        return True

    def _interval(self, slug: str) -> int:
        if slug not in self.intervals:
            record = next((t for t in self.plan.teams if t.slug == slug), None)
            settings = load_settings(record.settings) if record else self.plan.db_teams[slug].settings
            self.intervals[slug] = settings.follow_up_interval_months
        return self.intervals[slug]


def _personal_of(event: Event) -> dict:
    return crypto.decrypt_json(event.participant_id, EVENTS_TABLE, "personal", event.id, event.personal_enc)


def _note_of(event: Event) -> str | None:
    return crypto.decrypt_text(event.participant_id, EVENTS_TABLE, "note", event.id, event.note_enc)


def _flatten(messages, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Marshmallow's nested messages as (dotted field, message) pairs."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = key if key != "_schema" else ""
            yield from _flatten(value, ".".join(filter(None, [prefix, str(name)])))
    elif isinstance(messages, list | tuple):
        for value in messages:
            yield from _flatten(value, prefix)
    else:
        yield prefix or "line", str(messages)


def _chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


# --- writing -------------------------------------------------------------------------------


def _write(plan: _Plan) -> ImportSummary:
    summary = ImportSummary(team_slugs=list(dict.fromkeys(
        [t.slug for t in plan.teams] + [p.team for p in plan.participants] + [k[0] for k in plan.events_by_key])))
    teams = _write_teams(plan, summary)
    participants = _write_participants(plan, teams, summary)
    _write_events(plan, participants, summary)
    return summary


def _write_teams(plan: _Plan, summary: ImportSummary) -> dict[str, Team]:
    teams = dict(plan.db_teams)
    for record in plan.teams:
        existing = teams.get(record.slug)
        wanted = load_settings(record.settings).to_dict()
        if existing is not None and (existing.name, existing.federation.name, existing.settings_json) == (
                record.name, record.federation, wanted):
            summary.teams_unchanged += 1
            continue
        teams[record.slug] = save_team(record.slug, record.name, record.federation, record.settings)
        if existing is None:
            summary.teams_added += 1
        else:
            summary.teams_updated += 1
    return teams


def _write_participants(plan: _Plan, teams: dict[str, Team], summary: ImportSummary) -> dict:
    """Built (and encrypted) as `register_participant` does, after the same checks, then inserted in bulk."""
    participants = dict(plan.db_participants)
    rows: list[dict] = []
    keys: list[dict] = []
    for record in plan.participants:
        if record.existing is not None:
            summary.participants_skipped += 1
            continue
        participant, key = build_participant(teams[record.team], record.loaded, record.loaded.get("normalised_pnr"),
                                             ref=record.ref)
        participants[(record.team, record.ref)] = participant
        rows.append(_row(participant))
        keys.append(_row(key))
    _insert(Participant.__table__, rows)
    _insert(DataKey.__table__, keys)
    summary.participants_added = len(rows)
    return participants


def _row(obj) -> dict:
    """The column values of a new, unsaved object, with the columns' defaults filled in."""
    row = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.key)
        if value is None and column.default is not None:
            value = column.default.arg(None) if column.default.is_callable else column.default.arg
        row[column.key] = value
    return row


def _write_events(plan: _Plan, participants: dict, summary: ImportSummary) -> None:
    """Built through `event_values`, as `append_event` builds them, and inserted in batches."""
    defaults = {"recorded_at": utcnow(), "recorded_by_id": None}
    crypto.preload_data_keys(participants[key].id for key in plan.events_by_key)
    existing_seq = {pid: max(e.seq for e in events) for pid, events in plan.existing_events.items() if events}
    built: dict[str, str] = {}
    rows: list[dict] = []
    for key, records in plan.events_by_key.items():
        participant = participants[key]
        seq = existing_seq.get(participant.id, 0)
        for record in records:
            if record.skip:
                summary.events_skipped += 1
                continue
            seq += 1
            row = event_values(participant, record.type, record.date, record.public, record.personal, record.note,
                               seq=seq, ext_id=record.ext_id, voids_event_id=built.get(record.target, record.target))
            built[record.proxy_id] = row["id"]
            rows.append({**defaults, **row})
            if len(rows) >= INSERT_BATCH:
                _insert(Event.__table__, rows)
                summary.events_added += len(rows)
                rows = []
    if rows:
        _insert(Event.__table__, rows)
        summary.events_added += len(rows)


def _insert(table: sa.Table, rows: list[dict]) -> None:
    """Many rows at once: executemany on SQLite, COPY on PostgreSQL (where the driver would
    otherwise send one INSERT per row), both inside the session's transaction."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(sa.insert(table), rows)
        return
    columns = list(table.columns)
    as_json = [isinstance(c.type, sa.JSON) for c in columns]
    names = ", ".join(connection.dialect.identifier_preparer.quote(c.name) for c in columns)
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(row[c.key]) if j and row[c.key] is not None else row[c.key]
                                for c, j in zip(columns, as_json, strict=True)])


# --- export --------------------------------------------------------------------------------


def export_team(team: Team, user=None) -> Iterator[str]:
    """The team, its participants and their logs as JSON Lines; the read is access-logged."""
    participants = list(db.session.scalars(sa.select(Participant).where(Participant.team_id == team.id)
                                           .order_by(Participant.ref)))
    log_access(user, [p.id for p in participants], "export")
    crypto.preload_data_keys(p.id for p in participants if p.erased_at is None)
    events: dict[str, list[Event]] = defaultdict(list)
    for event in db.session.scalars(sa.select(Event).where(Event.team_id == team.id).order_by(Event.seq)):
        events[event.participant_id].append(event)
    lines = [_dump({"record": "team", "slug": team.slug, "name": team.name, "federation": team.federation.name,
                    "settings": team.settings_json})]
    lines.extend(_dump(_participant_record(team, p)) for p in participants)
    for participant in participants:
        lines.extend(_dump(_event_record(participant, e)) for e in events[participant.id])
    return iter(lines)


def _dump(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def _participant_record(team: Team, participant: Participant) -> dict:
    record = {"record": "participant", "ref": participant.ref, "team": team.slug,
              **{name: getattr(participant, name) for name in FACTS}}
    if participant.erased_at is None and not participant.anonymous:
        record["personal"] = _decrypted_personal(participant)
    return record


def _decrypted_personal(participant: Participant) -> dict:
    pid = participant.id
    number = crypto.decrypt_text(pid, PARTICIPANTS_TABLE, "personnummer", pid, participant.personnummer_enc)
    values = {"name": crypto.decrypt_text(pid, PARTICIPANTS_TABLE, "name", pid, participant.name_enc),
              "personnummer": pnr.display(number) if number else None,
              **crypto.decrypt_json(pid, PARTICIPANTS_TABLE, "contact", pid, participant.contact_enc)}
    return {name: values[name] for name in PERSONAL_ORDER if values.get(name)}


def _event_record(participant: Participant, event: Event) -> dict:
    readable = participant.erased_at is None
    data = dict(event.data or {})
    if readable:
        data.update(_personal_of(event))
    order = list(event_type(event.type).schema._declared_fields)
    data = {name: data[name] for name in sorted(data, key=lambda n: order.index(n) if n in order else len(order))}
    record = {"record": "event", "id": event.ext_id, "ref": participant.ref, "type": event.type,
              "date": event.date.isoformat(), "data": data}
    note = _note_of(event) if readable else None
    if note is not None:
        record["note"] = note
    return record
