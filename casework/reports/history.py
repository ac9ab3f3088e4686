"""Imported history (DOMAIN.md §6): which figures it may hold, where it may lie, and reading it.

A history line gives aggregate figures of a period before the team used Casework. Its figures
are report keys of §3 with the shape the report gives them (numbers, or objects of numbers), and
its period must not overlap the span the team's log covers: history and log are never mixed.
"""

import datetime as dt
import math
from functools import cache

import sqlalchemy as sa

from casework.events.models import Event
from casework.extensions import db
from casework.reports.compute import report_from_paths
from casework.reports.facts import HistoryFigures
from casework.reports.models import ReportHistory
from casework.reports.periods import Period
from casework.teams.settings import TeamSettings

SOURCE_MAX_LENGTH = 200
# Keys a history cannot hold: the period itself, and the series derived from history lines.
NOT_FIGURES = {"from", "to", "throughput_trend", "previous_period"}
SAMPLE_PERIOD = Period(dt.date(2000, 1, 1), dt.date(2000, 12, 31))


def figure_template(settings: TeamSettings) -> dict:
    """The shape of a report for these settings, without what history cannot hold."""
    return _template(settings.age_brackets, settings.support_brackets_months)


@cache
def _template(age_brackets: tuple[int, ...], support_brackets: tuple[int, ...]) -> dict:
    """Only the brackets decide keys of the report's shape."""
    settings = TeamSettings(age_brackets=age_brackets, support_brackets_months=support_brackets)
    report = report_from_paths([], SAMPLE_PERIOD, settings, {})
    return {key: value for key, value in report.items() if key not in NOT_FIGURES}


def figure_problems(figures: dict, settings: TeamSettings, prefix: str = "figures") -> list[tuple[str, str]]:
    """(field, message) for each figure that is not a known key holding a number (or null) where the
    report has one, or an object of such where the report has an object."""
    if not figures:
        return [(prefix, "Give at least one figure.")]
    return _problems(figures, figure_template(settings), prefix)


def _problems(given: dict, template: dict, prefix: str) -> list[tuple[str, str]]:
    problems = []
    for key, value in given.items():
        name = f"{prefix}.{key}"
        if key not in template:
            problems.append((name, "Not a figure of the report."))
        elif isinstance(template[key], dict):
            if isinstance(value, dict):
                problems += _problems(value, template[key], name)
            else:
                problems.append((name, "Must be an object, as in the report."))
        elif not _is_number(value):
            problems.append((name, "Must be a number (or null)."))
    return problems


def _is_number(value) -> bool:
    if value is None:
        return True
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def log_span(team_id: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the team's log, or None when it has no event."""
    first, last = db.session.execute(sa.select(sa.func.min(Event.date), sa.func.max(Event.date))
                                     .where(Event.team_id == team_id)).one()
    return (first, last) if first is not None else None


def overlaps(start: dt.date, end: dt.date, span: tuple[dt.date, dt.date] | None) -> bool:
    return span is not None and start <= span[1] and end >= span[0]


def history_rows(team_ids) -> list[ReportHistory]:
    return list(db.session.scalars(sa.select(ReportHistory).where(ReportHistory.team_id.in_(list(team_ids)))
                                   .order_by(ReportHistory.team_id, ReportHistory.period_start,
                                             ReportHistory.period_end)))


def history_of(team_id: str) -> tuple[HistoryFigures, ...]:
    """The team's imported history, oldest first, as the report computation reads it."""
    return tuple(HistoryFigures(r.period_start, r.period_end, r.figures, r.source) for r in history_rows([team_id]))


def add_history(team_id: str, start: dt.date, end: dt.date, figures: dict, source: str) -> ReportHistory:
    """Store a checked history (the importer checks; only flushes)."""
    row = ReportHistory(team_id=team_id, period_start=start, period_end=end, figures=figures, source=source)
    db.session.add(row)
    db.session.flush()
    return row
