"""The federation's view (issue 14): every team of a federation side by side for a named period,
with the federation total and the previous period, all from one read of the federation's paths.

The paths are read once from the projection (as for the federation's own report,
`service.build_report`), and every team's report is then derived from its own paths: no query
per team. Readers outside the teams (analysts, admins) see the reports suppressed as
everywhere else (`suppress.py`), each team's and the total on its own.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from casework.errors import PermissionDenied
from casework.organisation.figures import budget_lines_by_team, economy_figures
from casework.reports.compute import report_with_previous
from casework.reports.periods import Period
from casework.reports.permissions import can_view_federation, must_suppress
from casework.reports.previous import previous_period_of
from casework.reports.service import (
    check_named,
    cyclic_gc_paused,
    federation_scope,
    paths_for,
    relevant_since,
)
from casework.reports.suppress import HIDDEN, dig, suppress
from casework.reports.table import Table
from casework.teams.models import Federation, Team

# Swedish labels (a dict, so that `casework.i18n.extract_labels` finds them for the catalogue).
LABELS = {
    "team": "Team", "total": "Förbundet totalt", "participants_in_period": "Deltagare", "new_enrolments": "Nya",
    "exits_total": "Avslut", "result_share": "Resultat", "throughput_months": "Genomströmningstid (månader)",
    "queue_at_end": "Kö vid periodens slut", "follow_ups_on_time": "Andel uppföljningar i tid",
    "cost_per_participant": "Kostnad per deltagare (kr)", "current": "Teamen", "previous": "Föregående period",
}
TOTAL_LABEL = LABELS["total"]


@dataclass(frozen=True)
class Measure:
    key: str
    value: Callable[[dict], object]

    @property
    def heading(self) -> str:
        return LABELS[self.key]


def held_on_time_share(report: dict):
    """Follow-ups held on time of those due; hidden when either count is hidden (it would give it away)."""
    held, due = dig(report, "follow_ups", "held_on_time"), dig(report, "follow_ups", "due")
    if held is None or due is None:
        return None
    if not isinstance(held, int) or not isinstance(due, int):
        return HIDDEN
    return round(held / due, 3) if due else None


MEASURES = (
    Measure("participants_in_period", lambda r: dig(r, "participants_in_period")),
    Measure("new_enrolments", lambda r: dig(r, "new_enrolments")),
    Measure("exits_total", lambda r: dig(r, "exits_total")),
    Measure("result_share", lambda r: dig(r, "result_share")),
    Measure("throughput_months", lambda r: dig(r, "throughput_months", "all", "all")),
    Measure("queue_at_end", lambda r: dig(r, "queue_at_end", "count")),
    Measure("follow_ups_on_time", held_on_time_share),
    Measure("cost_per_participant", lambda r: dig(r, "economy", "cost_per_participant")),
)


@dataclass
class FederationFigures:
    """Each team's report (teams in name order, each once) and the federation's, for one period."""

    federation: Federation
    period: Period
    teams: list[Team]
    reports: dict[str, dict]  # by team id
    total: dict
    suppressed: bool

    def rows(self, previous: bool = False) -> list[list]:
        def pick(report: dict) -> dict:
            return report.get("previous_period") or {} if previous else report

        rows = [[team.name, *[m.value(pick(self.reports[team.id])) for m in MEASURES]] for team in self.teams]
        return [*rows, [TOTAL_LABEL, *[m.value(pick(self.total)) for m in MEASURES]]]

    def tables(self) -> list[Table]:
        headings = [LABELS["team"], *[m.heading for m in MEASURES]]
        previous = previous_period_of(self.period)
        return [Table("federation", f"{LABELS['current']} {self.period.label}", headings, self.rows()),
                Table("federation_previous", f"{LABELS['previous']} {previous.label}", headings,
                      self.rows(previous=True))]


def _figures_of(paths: list, period: Period, settings, settings_by_team: dict, header: dict,
                suppressed: bool, budget_lines: list[tuple]) -> dict:
    sizes: dict | None = {} if suppressed else None
    report = report_with_previous(paths, period, settings, settings_by_team, header, sizes)
    _with_economy(report, budget_lines)
    return suppress(report, sizes, settings) if suppressed else report


def _with_economy(report: dict, budget_lines: list[tuple]) -> None:
    """`economy` of the report and of its previous period (not of imported history), from the budget lines."""
    for part in (report, report.get("previous_period")):
        if part and part.get("source") != "history":
            part["economy"] = economy_figures(budget_lines, dt.date.fromisoformat(part["from"]),
                                              dt.date.fromisoformat(part["to"]), part["participants_in_period"])


def paths_by_team(scope, period: Period, since, whole_since=None) -> tuple[list, dict[str, list]]:
    """Every path of the federation's participants who can count from `since` to the period's end
    (one read of the projection, `service.paths_for`), and the same paths grouped by team (every
    team present)."""
    paths = paths_for(scope, period, since, whole_since)
    by_team: dict[str, list] = {t.id: [] for t in scope.teams}
    for path in paths:
        by_team[path.person.team_id].append(path)
    return paths, by_team


def federation_figures(federation: Federation, period: Period, *, suppressed: bool) -> FederationFigures:
    """Every team's report and the total from one read of the federation's paths."""
    if suppressed:
        check_named(period)
    scope = federation_scope(federation)
    teams = sorted(scope.teams, key=lambda t: t.name)
    settings_by_team = {t.id: t.settings for t in teams}
    previous = previous_period_of(period)
    with cyclic_gc_paused():
        paths, by_team = paths_by_team(scope, period, min(relevant_since(period), previous.start), previous.start)
        budgets = budget_lines_by_team([t.id for t in teams])
        reports = {t.id: _figures_of(by_team[t.id], period, t.settings, settings_by_team, {"team": t.slug},
                                     suppressed, budgets[t.id]) for t in teams}
        total = _figures_of(paths, period, scope.settings, settings_by_team, scope.header, suppressed,
                            [line for lines in budgets.values() for line in lines])
    return FederationFigures(federation, period, teams, reports, total, suppressed)


def federation_view(user, federation: Federation, period: Period) -> FederationFigures:
    """The view as this reader may see it (suppressed for everyone outside the teams)."""
    if not can_view_federation(user, federation):
        raise PermissionDenied("federation.denied", "You may not see this federation's figures.")
    return federation_figures(federation, period, suppressed=must_suppress(user))
