"""Uppföljning Finsam (issue 14): what a federation registers nationally for a calendar year,
one row per insats (team) with the registration's columns in its order, so it is copied in one go.

Participants are the year's `participants_in_period` by gender, counted by the same rule as
every report; anonymous participants the same population narrowed to those registered without
personal data. Budget and outcome are the team report's `economy` totals (DOMAIN.md §3); a team
without budget lines gets empty cells, never a 0 that would be registered as a figure.
"""

import sqlalchemy as sa

from casework.errors import PermissionDenied
from casework.extensions import db
from casework.organisation.figures import budget_lines_by_team, economy_figures
from casework.participants.models import Participant
from casework.reports import formats
from casework.reports.compute import report_from_paths
from casework.reports.federation import paths_by_team
from casework.reports.periods import Period, calendar_year
from casework.reports.permissions import can_view_federation, must_suppress
from casework.reports.service import cyclic_gc_paused, federation_scope, relevant_since
from casework.reports.suppress import dig, suppress
from casework.reports.table import Table
from casework.teams.models import Federation

GENDER_ORDER = ("woman", "man", "other")
# The registration's columns in its order (a dict, so that `casework.i18n.extract_labels` finds the labels).
COLUMNS = {
    "insats": "Insats", "woman": "Deltagare kvinnor", "man": "Deltagare män", "other": "Deltagare annat kön",
    "anonymous_woman": "Anonyma deltagare kvinnor", "anonymous_man": "Anonyma deltagare män",
    "anonymous_other": "Anonyma deltagare annat kön", "decided": "Beslutad budget (kr)", "outcome": "Utfall (kr)",
}
HEADINGS = list(COLUMNS.values())


def anonymous_ids(team_ids: list[str]) -> set[str]:
    query = sa.select(Participant.id).where(Participant.team_id.in_(team_ids), Participant.anonymous.is_(True))
    return set(db.session.scalars(query))


def _by_gender(paths: list, period: Period, settings, settings_by_team: dict) -> dict:
    return report_from_paths(paths, period, settings, settings_by_team)["participants_in_period_by_gender"]


def finsam_rows(federation: Federation, year: str, *, suppressed: bool) -> list[dict]:
    """Each team's figures for the year; decided budget and outcome are the totals of the team's
    `economy` (DOMAIN.md §3), empty while the team has no budget lines for the year."""
    period = calendar_year(year)
    scope = federation_scope(federation)
    teams = sorted(scope.teams, key=lambda t: t.name)
    settings_by_team = {t.id: t.settings for t in teams}
    with cyclic_gc_paused():
        _paths, by_team = paths_by_team(scope, period, relevant_since(period))
    anonymous = anonymous_ids([t.id for t in teams])
    budgets = budget_lines_by_team([t.id for t in teams])
    rows = []
    for team in teams:
        own = by_team[team.id]
        counts = {
            "participants_in_period_by_gender": _by_gender(own, period, team.settings, settings_by_team),
            "anonymous_by_gender": _by_gender([p for p in own if p.person.id in anonymous], period,
                                              team.settings, settings_by_team),
        }
        counts["participants_in_period"] = sum(counts["participants_in_period_by_gender"].values())
        economy = economy_figures(budgets[team.id], period.start, period.end, counts["participants_in_period"])
        if suppressed:
            counts = suppress(counts, {}, team.settings)
        rows.append({"team": team.slug, "insats": team.name, **counts,
                     "decided": dig(economy or {}, "total", "decided"),
                     "outcome": dig(economy or {}, "total", "outcome")})
    return rows


def finsam_table(rows: list[dict], federation: Federation, year: str) -> Table:
    body = [[row["insats"],
             *[row["participants_in_period_by_gender"][g] for g in GENDER_ORDER],
             *[row["anonymous_by_gender"][g] for g in GENDER_ORDER],
             row["decided"], row["outcome"]] for row in rows]
    return Table("uppfoljning_finsam", f"Uppföljning Finsam {year} – {federation.name}", list(HEADINGS), body)


def finsam_for(user, federation: Federation, year: str) -> list[dict]:
    if not can_view_federation(user, federation):
        raise PermissionDenied("federation.denied", "You may not see this federation's figures.")
    return finsam_rows(federation, year, suppressed=must_suppress(user))


FINSAM_FORMATS = ("json", "csv", "xlsx")


def finsam_content(federation: Federation, year: str, fmt: str, *, suppressed: bool, rows: list[dict] | None = None
                   ) -> str | bytes:
    """The figures as JSON (a header and the rows), CSV or XLSX (the one table)."""
    rows = finsam_rows(federation, year, suppressed=suppressed) if rows is None else rows
    if fmt == "json":
        return formats.to_json({"federation": federation.name, "year": year, "suppressed": suppressed, "rows": rows})
    table = finsam_table(rows, federation, year)
    return formats.to_csv([table]) if fmt == "csv" else formats.to_xlsx([table], table.title)
