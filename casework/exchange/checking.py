"""Checking a whole import file against itself and the database before anything is written.

`check_lines` parses every line (`parsing`), loads what the file refers to in a few queries,
then checks teams, participants and event ids across lines and against the database, and each
participant's log (`logs`). Every problem is reported as (line, field, message); the file is
written only when there is none.
"""

from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa

from casework.crypto import service as crypto
from casework.errors import ValidationFailed
from casework.events.models import Event
from casework.exchange.history import HistoryChecker
from casework.exchange.logs import LogChecker
from casework.exchange.organisation import OrganisationChecker
from casework.exchange.parsing import LineParser
from casework.exchange.records import FACTS, EventRecord, Findings, ParticipantRecord, Plan, chunks
from casework.extensions import db
from casework.participants.models import Participant
from casework.teams.models import Team
from casework.teams.service import check_settings_change
from casework.teams.settings import load_settings


def check_lines(lines: Iterable[str | bytes]) -> tuple[Plan, Findings]:
    """The plan of what the file would write, and what is wrong with it (nothing is written)."""
    findings, plan = Findings(), Plan()
    LineParser(findings, plan).parse(lines)
    _Checker(findings, plan).check()
    return plan, findings


class _Checker:
    def __init__(self, findings: Findings, plan: Plan):
        self.findings = findings
        self.error = findings.error
        self.plan = plan
        self.file_participants: dict[tuple[str, str], ParticipantRecord] = {}

    def check(self) -> None:
        self._load_database()
        self._check_teams()
        self._check_participants()
        self._check_events()
        HistoryChecker(self.findings, self.plan).check()
        OrganisationChecker(self.findings, self.plan).check()

    def _load_database(self) -> None:
        plan = self.plan
        slugs = ({t.slug for t in plan.teams} | {p.team for p in plan.participants} | {e.team for e in plan.events if e.team}
                 | {h.team for h in plan.history} | {o.team for o in plan.organisation})
        refs = {p.ref for p in plan.participants} | {e.ref for e in plan.events}
        for chunk in chunks(sorted(slugs)):
            plan.db_teams.update((t.slug, t) for t in db.session.scalars(sa.select(Team).where(Team.slug.in_(chunk))))
        found: list[Participant] = []
        for chunk in chunks(sorted(refs)):
            found.extend(db.session.scalars(sa.select(Participant).where(Participant.ref.in_(chunk))))
        team_ids = {p.team_id for p in found} - {t.id for t in plan.db_teams.values()}
        for chunk in chunks(sorted(team_ids)):
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
            if record.slug in self.plan.db_teams:
                self._check_settings_change(record)

    def _check_settings_change(self, record) -> None:
        """New settings for a registered team may not misread what it has recorded (`teams.service`)."""
        try:
            check_settings_change(self.plan.db_teams[record.slug], load_settings(record.settings))
        except ValidationFailed as exc:
            self.findings.errors_from(record.line, exc.errors["settings"], "settings")

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
                if record.team not in self.findings.broken_teams:
                    self.error(record.line, "team", f"Unknown team {record.team!r}.")
                self.findings.broken_refs.add(record.ref)
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
            for chunk in chunks(sorted(indexes)):
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
        logs = LogChecker(self.findings, plan, self.file_participants)
        for key, records in plan.events_by_key.items():
            logs.check(key, records)

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
            if record.ref not in self.findings.broken_refs:
                self.error(record.line, "ref", f"Unknown participant {record.ref!r}.")
            return None
        if len(slugs) > 1:
            self.error(record.line, "ref", f"The reference {record.ref} is used in several teams; add \"team\".")
            return None
        return next(iter(slugs))

    def _load_existing_events(self) -> None:
        plan = self.plan
        ids = [plan.db_participants[key].id for key in plan.events_by_key if key in plan.db_participants]
        logs: dict[str, list[Event]] = defaultdict(list)
        for chunk in chunks(ids):
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
                same = (existing.personal == record.personal and existing.note == record.note)
            if not same:
                self.error(record.line, "id", f"The event {record.ext_id} already exists with different content.")
