"""Reading the lines of an import file into records, each line on its own.

Every line is decoded and loaded with its record kind's schema; an event's payload goes through
the same validation as `append_event`, and its date through the same rule. Nothing here looks
at the database or at other lines: that is `checking`.
"""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable

from marshmallow import ValidationError

from casework.errors import DomainError, ValidationFailed
from casework.events.rules import check_date
from casework.events.service import validated_payload
from casework.exchange.fastload import compile_loader
from casework.exchange.lines import BadLine, decode_line
from casework.exchange.records import (
    EventRecord,
    Findings,
    GroupSessionRecord,
    HistoryRecord,
    OrganisationRecord,
    ParticipantRecord,
    Plan,
    TeamRecord,
)
from casework.exchange.schemas import (
    BudgetLineLine,
    EventLine,
    GroupSessionLine,
    HistoryLine,
    MeetingLine,
    ParticipantLine,
    StaffLine,
    TeamLine,
)
from casework.organisation.service import LOADED_AS, date_problem
from casework.participants import personnummer as pnr
from casework.reports.periods import parse_date
from casework.teams.settings import load_settings

LOAD_BATCH = 1000

_schemas = {"team": TeamLine(), "participant": ParticipantLine(), "event": EventLine(), "history": HistoryLine(),
            "group_session": GroupSessionLine(), "staff": StaffLine(), "budget": BudgetLineLine(), "meeting": MeetingLine()}
# The kinds whose schema `fastload` can follow (events, nearly every line of a big file).
_fast = {kind: loader for kind, schema in _schemas.items() if (loader := compile_loader(schema)) is not None}


class LineParser:
    """Turns lines into the records of `plan`, reporting bad lines to `findings`."""

    def __init__(self, findings: Findings, plan: Plan):
        self.findings = findings
        self.plan = plan
        self.payloads: dict[tuple[str, str], tuple[dict, dict] | dict] = {}
        self.today = dt.date.today()

    def parse(self, lines: Iterable[str | bytes]) -> None:
        pending: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        for number, text in enumerate(lines, start=1):
            try:
                decoded = decode_line(number, text)
            except BadLine as exc:
                self.findings.error(number, exc.field, exc.message)
                continue
            if decoded is None:
                continue
            kind, raw = decoded
            pending[kind].append((number, raw))
            if len(pending[kind]) >= LOAD_BATCH:
                self._load(kind, pending.pop(kind))
        for kind, batch in pending.items():
            self._load(kind, batch)

    def _load(self, kind: str, batch: list[tuple[int, dict]]) -> None:
        """Load a batch of lines of one kind with its schema (many at once is much faster);
        if any of them is bad, line by line, to name each bad line. A kind with a fast path
        (`fastload`) takes it, and a line it is not sure of goes through the schema."""
        if kind in _fast:
            self._load_fast(kind, batch)
            return
        try:
            loaded = _schemas[kind].load([raw for _, raw in batch], many=True)
        except ValidationError:
            for number, raw in batch:
                self._parse(number, kind, raw)
            return
        parse = getattr(self, f"_parse_{kind}")
        for (number, raw), item in zip(batch, loaded, strict=True):
            parse(number, raw, item)

    def _load_fast(self, kind: str, batch: list[tuple[int, dict]]) -> None:
        fast, parse = _fast[kind], getattr(self, f"_parse_{kind}")
        for number, raw in batch:
            loaded = fast(raw)
            if loaded is None:
                self._parse(number, kind, raw)
            else:
                parse(number, raw, loaded)

    def _parse(self, number: int, kind: str, raw: dict) -> None:
        findings = self.findings
        try:
            loaded = _schemas[kind].load(raw)
        except ValidationError as exc:
            findings.errors_from(number, exc.messages)
            if kind == "participant" and isinstance(raw.get("ref"), str):
                findings.broken_refs.add(raw["ref"])
            if kind == "team" and isinstance(raw.get("slug"), str):
                findings.broken_teams.add(raw["slug"])
            if kind == "event" and isinstance(raw.get("type"), str) and isinstance(raw.get("data", {}), dict):
                self._payload(number, raw["type"], raw.get("data"))
            if kind == "event" and isinstance(raw.get("ref"), str):
                findings.broken_logs.add(raw["ref"])
            return
        getattr(self, f"_parse_{kind}")(number, raw, loaded)

    def _parse_team(self, number: int, raw: dict, loaded: dict) -> None:
        try:
            load_settings(loaded["settings"])
        except ValidationError as exc:
            self.findings.errors_from(number, exc.messages, "settings")
            self.findings.broken_teams.add(loaded["slug"])
            return
        self.plan.teams.append(TeamRecord(number, loaded["slug"], loaded["name"], loaded["federation"],
                                          loaded["settings"]))

    def _parse_participant(self, number: int, raw: dict, loaded: dict) -> None:
        personal = loaded["personal"]
        if personal.get("personnummer"):
            try:
                normalised = pnr.normalise(personal["personnummer"])
            except ValidationFailed as exc:
                self.findings.error(number, "personal.personnummer", exc.message)
                self.findings.broken_refs.add(loaded["ref"])
                return
            if int(normalised[:4]) != loaded["birth_year"]:
                self.findings.error(number, "birth_year", "The birth year does not match the personnummer.")
                self.findings.broken_refs.add(loaded["ref"])
                return
            loaded["normalised_pnr"] = normalised
        self.plan.participants.append(ParticipantRecord(number, loaded["team"], loaded["ref"], loaded))

    def _parse_event(self, number: int, raw: dict, loaded: dict) -> None:
        payload = self._payload(number, loaded["type"], loaded["data"])
        day = None
        try:
            day = check_date(loaded["date"], self.today)
        except ValidationFailed as exc:
            self.findings.error(number, "date", exc.message)
        if payload is None or day is None:
            self.findings.broken_logs.add(loaded["ref"])
            return
        public, personal = payload
        self.plan.events.append(EventRecord(number, loaded["id"], loaded["ref"], loaded.get("team"), loaded["type"],
                                            day, public, personal, loaded["note"] or None,
                                            proxy_id=f"line:{number}"))

    def _parse_history(self, number: int, raw: dict, loaded: dict) -> None:
        """Its dates; whether its team exists, its figures are known and its period is free is `history`'s."""
        days = {}
        for name, key in (("from", "start"), ("to", "end")):
            try:
                days[key] = parse_date(loaded[key], name)
            except ValidationFailed as exc:
                self.findings.error(number, name, exc.message)
        if len(days) < 2:
            return
        if days["end"] < days["start"]:
            self.findings.error(number, "to", "The period ends before it starts.")
            return
        self.plan.history.append(HistoryRecord(number, loaded["team"], days["start"], days["end"], loaded["figures"],
                                               loaded["source"]))

    def _parse_group_session(self, number: int, raw: dict, loaded: dict) -> None:
        """Its date; the rest (team, attendees enrolled, kind, hours) is `group_sessions`', after the logs."""
        try:
            day = check_date(loaded["date"], self.today)
        except ValidationFailed as exc:
            self.findings.error(number, "date", exc.message)
            return
        self.plan.group_sessions.append(GroupSessionRecord(number, loaded["id"], loaded["team"], day, loaded["kind"],
                                                           loaded["hours"], loaded["attendees"], loaded["note"] or None))
    def _parse_organisation(self, number: int, raw: dict, loaded: dict) -> None:
        """Checked by the organisation's own schemas; its team and overlaps are `organisation`'s."""
        values = {LOADED_AS.get(k, k): v for k, v in loaded.items() if k not in ("record", "team")}
        problem = date_problem(raw["record"], values)
        if problem is not None:
            self.findings.error(number, problem.field, problem.message)
            return
        self.plan.organisation.append(OrganisationRecord(number, raw["record"], loaded["team"], values))

    _parse_staff = _parse_budget = _parse_meeting = _parse_organisation

    def _payload(self, number: int, type_name, data) -> tuple[dict, dict] | None:
        """Through the same validation as `append_event`, so every extension applies here too.

        Validation depends only on the type and the payload, and a file repeats the same payloads
        ({"status": "held"}...) thousands of times: each distinct one is validated once per import.
        """
        try:
            key = (type_name, json.dumps(data, sort_keys=True))
        except (TypeError, ValueError):
            key = None
        if key is None or key not in self.payloads:
            try:
                result = validated_payload(type_name, data)
            except DomainError as exc:
                result = exc.errors
            if key is None:
                return self._payload_result(number, result)
            self.payloads[key] = result
        return self._payload_result(number, self.payloads[key])

    def _payload_result(self, number: int, result) -> tuple[dict, dict] | None:
        if isinstance(result, tuple):
            return result
        self.findings.errors_from(number, result)
        return None
