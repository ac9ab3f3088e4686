"""Checking and writing the `staff`, `budget` and `meeting` lines of an import (DOMAIN.md §6).

A line is matched to a record of its team by identity: a staff member's id and start date, a
budget line's kind and period, a meeting's date and kind. Matched with the same values it is
skipped (importing a file twice adds nothing); with other values it changes the record, kept as
a change like a page's. Periods are checked against the team's other records and the file's
other lines by the organisation service's rule, before anything is written.
"""

from collections import defaultdict

import sqlalchemy as sa

from casework.exchange.records import Findings, ImportSummary, OrganisationRecord, Plan
from casework.extensions import db
from casework.organisation.service import MODELS, exchange_values, overlap_problem, same_series, save_record
from casework.teams.models import Team

IDENTITY = {"staff": ("staff_ref", "start_date"), "budget": ("line", "start_date", "end_date"),
            "meeting": ("date", "kind")}


def identity(kind: str, values) -> tuple:
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    return tuple(get(name) for name in IDENTITY[kind])


def _values_of(record) -> dict:
    return {column.key: getattr(record, column.key) for column in record.__table__.columns
            if column.key not in ("id", "team_id")}


class OrganisationChecker:
    def __init__(self, findings: Findings, plan: Plan):
        self.findings = findings
        self.plan = plan

    def check(self) -> None:
        by_team: dict[tuple[str, str], list[OrganisationRecord]] = defaultdict(list)
        file_teams = {t.slug for t in self.plan.teams}
        for record in self.plan.organisation:
            if record.team not in file_teams and record.team not in self.plan.db_teams:
                if record.team not in self.findings.broken_teams:
                    self.findings.error(record.line, "team", f"Unknown team {record.team!r}.")
                continue
            by_team[(record.team, record.kind)].append(record)
        for (slug, kind), records in by_team.items():
            self._check_kind(self.plan.db_teams.get(slug), kind, records)

    def _check_kind(self, team: Team | None, kind: str, records: list[OrganisationRecord]) -> None:
        model = MODELS[kind]
        existing = list(db.session.scalars(sa.select(model).where(model.team_id == team.id))) if team else []
        by_identity = {identity(kind, row): row for row in existing}
        replaced = {identity(kind, r.values) for r in records}
        settled: dict[tuple, list[tuple]] = defaultdict(list)
        for row in existing:
            if identity(kind, row) not in replaced:
                settled[same_series(kind, _values_of(row))].append((row.start_date, row.end_date))
        seen: dict[tuple, int] = {}
        for record in records:
            key = identity(kind, record.values)
            if key in seen:
                self.findings.error(record.line, "from" if kind != "meeting" else "date",
                                    f"The same {kind} record as line {seen[key]}.")
                continue
            seen[key] = record.line
            self._match(kind, record, by_identity.get(key))
            if kind == "meeting":
                continue
            series = settled[same_series(kind, record.values)]
            problem = overlap_problem(kind, record.values, series)
            if problem is not None:
                self.findings.error(record.line, problem.field, problem.message)
            series.append((record.values["start_date"], record.values["end_date"]))

    @staticmethod
    def _match(kind: str, record: OrganisationRecord, row) -> None:
        if row is None:
            return
        record.existing = row
        wanted = {**_values_of(row), **record.values}
        record.skip = all(getattr(row, name) == value for name, value in wanted.items())


def write_organisation(plan: Plan, teams: dict[str, Team], summary: ImportSummary) -> None:
    """Changes first, then new records, so that a period shortened by the file makes room for the
    next one the file adds (the check has seen the file's final state)."""
    changes = [r for r in plan.organisation if r.existing is not None and not r.skip]
    additions = [r for r in plan.organisation if r.existing is None]
    summary.organisation_skipped += sum(1 for r in plan.organisation if r.skip)
    for record in [*changes, *additions]:
        save_record(record.kind, teams[record.team], record.values, source="import", record=record.existing)
    summary.organisation_updated += len(changes)
    summary.organisation_added += len(additions)


def export_organisation(team: Team) -> list[dict]:
    """The team's records as exchange lines, in a stable order."""
    lines = []
    for kind in MODELS:
        model = MODELS[kind]
        rows = db.session.scalars(sa.select(model).where(model.team_id == team.id))
        for row in sorted(rows, key=lambda r: tuple(str(v) for v in identity(kind, r))):
            lines.append({"record": kind, "team": team.slug, **exchange_values(kind, row)})
    return lines
