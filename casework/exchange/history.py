"""Checking the `history` lines of an import (DOMAIN.md §6) against the file and the database.

A history line's team must exist (in the database or the file), its figures must be known report
keys holding numbers, and its period must not overlap the span the team's log covers (its events
in the database and in the file): history and log are never mixed for one period. A line already
imported with the same figures and source is skipped; with other figures it is refused.
"""

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa

from casework.exchange.records import Findings, HistoryRecord, Plan
from casework.extensions import db
from casework.reports.history import figure_problems, log_span, overlaps
from casework.reports.models import ReportHistory
from casework.teams.settings import TeamSettings, load_settings


class HistoryChecker:
    def __init__(self, findings: Findings, plan: Plan):
        self.findings = findings
        self.plan = plan

    def check(self) -> None:
        seen: dict[tuple[str, dt.date, dt.date], int] = {}
        spans = self._file_spans()
        for record in self.plan.history:
            settings = self._settings_of(record)
            if settings is None:
                continue
            key = (record.team, record.start, record.end)
            if key in seen:
                self.findings.error(record.line, "from", f"The same team and period as line {seen[key]}.")
                continue
            seen[key] = record.line
            for field_name, message in figure_problems(record.figures, settings):
                self.findings.error(record.line, field_name, message)
            if overlaps(record.start, record.end, self._log_span(record.team, spans)):
                self.findings.error(record.line, "from", "The period overlaps the period the team's log covers; "
                                                         "history is only for periods before the log.")
            self._compare_existing(record)

    def _settings_of(self, record: HistoryRecord) -> TeamSettings | None:
        """The settings of the record's team (they decide the report's brackets), or None if unknown."""
        in_file = next((t for t in self.plan.teams if t.slug == record.team), None)
        if in_file is not None:
            return load_settings(in_file.settings)
        team = self.plan.db_teams.get(record.team)
        if team is not None:
            return team.settings
        if record.team not in self.findings.broken_teams:
            self.findings.error(record.line, "team", f"Unknown team {record.team!r}.")
        return None

    def _file_spans(self) -> dict[str, tuple[dt.date, dt.date]]:
        days: dict[str, list[dt.date]] = defaultdict(list)
        for (slug, _), records in self.plan.events_by_key.items():
            days[slug].extend(r.date for r in records if r.date is not None)
        return {slug: (min(d), max(d)) for slug, d in days.items() if d}

    def _log_span(self, slug: str, file_spans: dict) -> tuple[dt.date, dt.date] | None:
        team = self.plan.db_teams.get(slug)
        spans = [s for s in (log_span(team.id) if team else None, file_spans.get(slug)) if s is not None]
        if not spans:
            return None
        return min(s[0] for s in spans), max(s[1] for s in spans)

    def _compare_existing(self, record: HistoryRecord) -> None:
        team = self.plan.db_teams.get(record.team)
        if team is None:
            return
        existing = db.session.scalar(sa.select(ReportHistory).where(
            ReportHistory.team_id == team.id, ReportHistory.period_start == record.start,
            ReportHistory.period_end == record.end))
        if existing is None:
            return
        if (existing.figures, existing.source) == (record.figures, record.source):
            record.skip = True
        else:
            self.findings.error(record.line, "figures",
                                "A history of this team and period is already imported with other figures.")
