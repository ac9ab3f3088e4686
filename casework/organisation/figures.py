"""The report's organisation keys (DOMAIN.md §3): `staff`, `economy` and `meetings` for a period.

A budget line counts in a report when its period lies wholly inside the report's period: an
annual budget counts in the year's report (and in an operational year only if it is the
operational year's). A line that only partly overlaps is not counted and not prorated (costs are
not spread evenly over a year, and an estimate would read as an outcome); the number of such lines
is given as `partly_overlapping_lines`, so the reader knows a budget exists but does not fit.
"""

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa

from casework.extensions import db
from casework.organisation.models import BudgetLine, Meeting, StaffPeriod
from casework.vocab import BUDGET_LINES, EMPLOYERS, MEETING_KINDS

TOTAL = "total"
AMOUNTS = ("decided", "outcome", "remaining", "forecast")


def organisation_figures(team_ids: list[str], start: dt.date, end: dt.date, participants_in_period: int) -> dict:
    """The three keys for these teams (a federation's: summed) and the period `[start, end]`."""
    return {
        "staff": staff_figures(_staff(team_ids), start, end),
        "economy": economy_figures(_budget(team_ids), start, end, participants_in_period),
        "meetings": meeting_figures(_meeting_kinds(team_ids, start, end)),
    }


def _staff(team_ids) -> list[tuple]:
    return list(db.session.execute(sa.select(
        StaffPeriod.team_id, StaffPeriod.staff_ref, StaffPeriod.employer, StaffPeriod.extent_percent,
        StaffPeriod.start_date, StaffPeriod.end_date).where(StaffPeriod.team_id.in_(team_ids))).all())


def _budget(team_ids) -> list[tuple]:
    return list(db.session.execute(sa.select(
        BudgetLine.line, BudgetLine.start_date, BudgetLine.end_date, BudgetLine.decided, BudgetLine.outcome,
        BudgetLine.forecast).where(BudgetLine.team_id.in_(team_ids))).all())


def budget_lines_by_team(team_ids: list[str]) -> dict[str, list[tuple]]:
    """Every team's budget lines from one query, as `economy_figures` takes them (a federation's view)."""
    lines: dict[str, list[tuple]] = {team_id: [] for team_id in team_ids}
    for team_id, *line in db.session.execute(sa.select(
            BudgetLine.team_id, BudgetLine.line, BudgetLine.start_date, BudgetLine.end_date, BudgetLine.decided,
            BudgetLine.outcome, BudgetLine.forecast).where(BudgetLine.team_id.in_(team_ids))):
        lines[team_id].append(tuple(line))
    return lines


def _meeting_kinds(team_ids, start: dt.date, end: dt.date) -> list[str]:
    return list(db.session.scalars(sa.select(Meeting.kind).where(
        Meeting.team_id.in_(team_ids), Meeting.date.between(start, end))))


def _active_on(day: dt.date, first: dt.date, last: dt.date | None) -> bool:
    return first <= day and (last is None or day <= last)


def staff_figures(periods: list[tuple], start: dt.date, end: dt.date) -> dict:
    """Per employer and in total: full-time equivalents (100 % = 1.0) on the first and the last day,
    and staff who started or ended in the period. A new period of the same person the day after
    the last one (a changed extent or employer) is a change, not an end and a start."""
    by_person = defaultdict(list)
    for team_id, ref, _, _, first, last in periods:
        by_person[(team_id, ref)].append((first, last))
    percent = {key: {"at_start": 0, "at_end": 0} for key in [*EMPLOYERS, TOTAL]}
    changes = {key: {"started": 0, "ended": 0} for key in [*EMPLOYERS, TOTAL]}
    for team_id, ref, employer, extent, first, last in periods:
        mine = by_person[(team_id, ref)]
        for key in (employer, TOTAL):
            percent[key]["at_start"] += extent if _active_on(start, first, last) else 0
            percent[key]["at_end"] += extent if _active_on(end, first, last) else 0
            if start <= first <= end and not any(b == first - dt.timedelta(days=1) for _, b in mine):
                changes[key]["started"] += 1
            if last is not None and start <= last <= end and not any(
                    a == last + dt.timedelta(days=1) for a, _ in mine):
                changes[key]["ended"] += 1
    return {key: {"fte_at_start": _fte(percent[key]["at_start"]), "fte_at_end": _fte(percent[key]["at_end"]),
                  **changes[key]} for key in percent}


def _fte(percent: int) -> float:
    """Whole per cents as full-time equivalents, exact to two decimals (150 % → 1.5)."""
    return percent / 100


def economy_figures(lines: list[tuple], start: dt.date, end: dt.date, participants_in_period: int) -> dict:
    """Per budget line and in total; `cost_per_participant` = total outcome / participants (one decimal)."""
    inside = [row for row in lines if start <= row[1] and row[2] <= end]
    overlapping = sum(1 for row in lines if row[1] <= end and start <= row[2])
    figures = {key: _amounts([row for row in inside if row[0] == key]) for key in BUDGET_LINES}
    figures[TOTAL] = _amounts(inside)
    outcome = figures[TOTAL]["outcome"]
    figures["cost_per_participant"] = (round(outcome / participants_in_period, 1)
                                       if outcome is not None and participants_in_period else None)
    figures["partly_overlapping_lines"] = overlapping - len(inside)
    return figures


def _sum_or_none(values) -> int | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def _amounts(rows: list[tuple]) -> dict:
    decided = _sum_or_none(row[3] for row in rows)
    outcome = _sum_or_none(row[4] for row in rows)
    return {"decided": decided, "outcome": outcome,
            "remaining": decided - outcome if decided is not None and outcome is not None else None,
            "forecast": _sum_or_none(row[5] for row in rows)}


def meeting_figures(kinds: list[str]) -> dict:
    counts = dict.fromkeys(MEETING_KINDS, 0)
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    counts[TOTAL] = len(kinds)
    return counts
