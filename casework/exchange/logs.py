"""Checking the new events of a file against each participant's whole log.

The rules are those of `append_event` and `correct_event`, from `casework.events.rules`, with
the same messages; only the field of a correction's target is named as in the file,
"data.voids". A participant's existing events and the file's new ones are replayed together, so
a file may hold a whole path (referral, enrolment, exit) in any order of lines.
"""

from types import SimpleNamespace

import sqlalchemy as sa

from casework.crypto import service as crypto
from casework.errors import ValidationFailed
from casework.events.instruments import team_problems
from casework.events.rules import check_correction, check_identifying, problems_added
from casework.exchange.records import EventRecord, Findings, ParticipantRecord, Plan
from casework.extensions import db
from casework.participants import personnummer as pnr
from casework.participants.models import Participant
from casework.teams.settings import TeamSettings, load_settings


class LogChecker:
    """Checks the logs of one file; `check` is called once per (team, ref) with its event records."""

    def __init__(self, findings: Findings, plan: Plan, file_participants: dict[tuple[str, str], ParticipantRecord]):
        self.findings = findings
        self.plan = plan
        self.file_participants = file_participants
        self.settings: dict[str, TeamSettings] = {}
        self.identified_indexes: dict[tuple[str, str], int] = {}  # (team, blind index) -> line

    def check(self, key: tuple[str, str], records: list[EventRecord]) -> None:
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
            if (record.type == "correction" and not self._resolve_target(record, by_ext_id, [*existing, *new])) or (
                    not self._identifying_allowed(record, anonymous, erased)) or (
                    record.type == "identified" and not self._identification_allowed(key, record, anonymous)) or (
                    not self._on_team_scale(key[0], record)):
                by_ext_id.setdefault(record.ext_id, None)
                continue
            seq += 1
            proxy = SimpleNamespace(id=record.proxy_id, ext_id=record.ext_id, type=record.type, date=record.date,
                                    data=record.public, seq=seq, voids_event_id=record.target, line=record.line)
            by_ext_id[record.ext_id] = proxy
            new.append(proxy)
            anonymous = anonymous and record.type != "identified"
        if not new or key[1] in self.findings.broken_logs:
            return  # a log with a bad line is replayed once that line is mended, not to report its echoes
        lines = {proxy.id: proxy.line for proxy in new}
        for problem in problems_added(existing, new,
                                      follow_up_interval_months=self._settings(key[0]).follow_up_interval_months):
            self.findings.error(lines[problem.event_id], problem.field, problem.message)

    def _participant_facts(self, key: tuple[str, str]) -> tuple[bool, bool]:
        """(anonymous, erased) of the participant, registered or new in the file."""
        existing = self.plan.db_participants.get(key)
        if existing is not None:
            return existing.anonymous, existing.erased_at is not None
        record = self.file_participants.get(key)
        return (record.loaded["anonymous"] if record else False), False

    def _identifying_allowed(self, record: EventRecord, anonymous: bool, erased: bool) -> bool:
        try:
            check_identifying(record.personal, record.note, anonymous=anonymous, erased=erased)
        except ValidationFailed as exc:
            self.findings.error(record.line, exc.field, exc.message)
            return False
        return True

    def _identification_allowed(self, key: tuple[str, str], record: EventRecord, anonymous: bool) -> bool:
        """As `participants.identification.identify`: an anonymous participant, a valid personnummer
        not registered in the team (nor on another line of the file). Warnings (a gender that
        contradicts the number) are not raised by an import: its lines are records already kept."""
        if not anonymous:
            self.findings.error(record.line, "type", "The participant is already identified.")
            return False
        number = record.personal.get("personal", {}).get("personnummer")
        if not number:
            return True
        field = "data.personal.personnummer"
        try:
            record.normalised_pnr = pnr.normalise(number)
        except ValidationFailed as exc:
            self.findings.error(record.line, field, exc.message)
            return False
        index = crypto.blind_index(record.normalised_pnr)
        team = self.plan.db_teams.get(key[0])
        taken = team is not None and db.session.scalar(sa.select(Participant.id).where(
            Participant.team_id == team.id, Participant.pnr_index.in_(crypto.blind_indexes(record.normalised_pnr))))
        in_file = [r.line for (slug, _), r in self.file_participants.items()
                   if slug == key[0] and r.loaded.get("normalised_pnr") == record.normalised_pnr]
        if taken or in_file or (key[0], index) in self.identified_indexes:
            self.findings.error(record.line, field, "A participant with this personnummer is already registered in the team.")
            return False
        self.identified_indexes[(key[0], index)] = record.line
        return True

    def _resolve_target(self, record: EventRecord, by_ext_id: dict, log: list) -> bool:
        """A correction voids an earlier event of the same participant, not yet voided."""
        voids = record.public["voids"]
        if voids not in by_ext_id:
            self.findings.error(record.line, "data.voids", "No such event earlier in this participant's log.")
            return False
        target = by_ext_id[voids]
        if target is None:
            return False  # a line already reported as bad
        try:
            check_correction(target, log, record.date)
        except ValidationFailed as exc:
            self.findings.error(record.line, "data.voids" if exc.field == "voids" else exc.field, exc.message)
            return False
        record.target = target.id
        return True

    def _on_team_scale(self, slug: str, record: EventRecord) -> bool:
        """A survey's answers on the team's scale: the file's settings for the team, else the stored ones."""
        if record.type != "survey" or not isinstance(record.public.get("answers"), dict):
            return True
        problems = team_problems(self._settings(slug), record.public["instrument"], record.public["answers"])
        for question, messages in problems.items():
            for message in messages:
                self.findings.error(record.line, f"data.answers.{question}", message)
        return not problems

    def _settings(self, slug: str) -> TeamSettings:
        if slug not in self.settings:
            record = next((t for t in self.plan.teams if t.slug == slug), None)
            self.settings[slug] = load_settings(record.settings) if record else self.plan.db_teams[slug].settings
        return self.settings[slug]
