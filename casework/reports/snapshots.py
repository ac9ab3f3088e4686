"""Freezing ended half-years and years, and showing later changes against the frozen figures."""

import datetime as dt
import hashlib
import json

import sqlalchemy as sa

from casework.events.models import Event
from casework.extensions import db
from casework.reports.models import ReportSnapshot
from casework.reports.periods import Period, ended_periods
from casework.reports.service import Scope, build_report, team_scope
from casework.teams.models import Team
from casework.teams.settings import TeamSettings, load_settings

HEADER_KEYS = {"team", "federation", "teams", "from", "to", "frozen", "changed_since_frozen",
               "settings_changed_since_frozen", "suppressed"}


def content_hash(report: dict) -> str:
    canonical = json.dumps(report, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def close_due(today: dt.date | None = None) -> list[ReportSnapshot]:
    """Freeze every ended half-year and year of every team not frozen yet (safe to run again)."""
    today = today or dt.date.today()
    first_days = dict(db.session.execute(
        sa.select(Event.team_id, sa.func.min(Event.date)).group_by(Event.team_id)).all())
    made = []
    for team in db.session.scalars(sa.select(Team).order_by(Team.slug)):
        first_day = first_days.get(team.id)
        if first_day is None:
            continue
        frozen = {(s.period_start, s.period_end) for s in snapshots_of(team_scope(team))}
        for name, period in ended_periods(first_day, today, team.settings.year_start_month):
            if (period.start, period.end) not in frozen:
                made.append(freeze(team, name, period))
    return made


def freeze(team: Team, name: str, period: Period) -> ReportSnapshot:
    report = build_report(team_scope(team), period)
    snapshot = ReportSnapshot(team_id=team.id, period_name=name, period_start=period.start, period_end=period.end,
                              report=report, content_hash=content_hash(report), settings=team.settings.to_dict())
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def settings_of(snapshot: ReportSnapshot) -> TeamSettings | None:
    """The settings the snapshot was computed with (None when frozen before they were kept):
    a frozen table is shown in the columns it had, not in today's."""
    return load_settings(snapshot.settings) if snapshot.settings is not None else None


def settings_changed_since(snapshot: ReportSnapshot, current: TeamSettings) -> list[str]:
    """The settings that differ from those the snapshot was frozen with."""
    if snapshot.settings is None:
        return []
    now = current.to_dict()
    return [key for key in now if json.dumps(snapshot.settings.get(key)) != json.dumps(now[key])]


def snapshots_of(scope: Scope) -> list[ReportSnapshot]:
    if scope.kind != "team":
        return []
    return list(db.session.scalars(sa.select(ReportSnapshot).where(ReportSnapshot.team_id == scope.teams[0].id)
                                   .order_by(ReportSnapshot.period_end.desc(), ReportSnapshot.period_start)))


def snapshot_for(scope: Scope, period: Period) -> ReportSnapshot | None:
    if scope.kind != "team":
        return None
    return db.session.scalar(sa.select(ReportSnapshot).where(
        ReportSnapshot.team_id == scope.teams[0].id, ReportSnapshot.period_start == period.start,
        ReportSnapshot.period_end == period.end))


def flatten(value, prefix: str = "") -> dict:
    if isinstance(value, dict):
        items = {}
        for key, inner in value.items():
            items.update(flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return items
    if isinstance(value, list):
        items = {}
        for index, inner in enumerate(value):
            items.update(flatten(inner, f"{prefix}[{index}]"))
        return items
    return {prefix: value}


def differences(frozen: dict, now: dict) -> list[dict]:
    """Every figure that differs between the frozen report and today's, by its dotted key.

    A key the frozen report does not have at all came with a later version of Casework: it is new,
    not changed, and is left out (so are the header keys).
    """
    compared = set(frozen) - HEADER_KEYS
    old = {k: v for k, v in flatten(frozen).items() if k.split(".")[0].split("[")[0] in compared}
    new = {k: v for k, v in flatten(now).items() if k.split(".")[0].split("[")[0] in compared}
    return [{"key": k, "frozen": old.get(k), "now": new.get(k)} for k in sorted(old.keys() | new.keys())
            if old.get(k) != new.get(k)]


def comparison_for(scope: Scope, period: Period, report: dict, *, suppressed: bool = False) -> dict:
    """The report with `frozen` and `changed_since_frozen` when the period was frozen.

    Readers outside the team learn which figures changed, never the small numbers behind them,
    nor the hash of the unsuppressed figures (small enough a report could be guessed cell by cell
    and checked against it).
    """
    snapshot = snapshot_for(scope, period)
    if snapshot is None:
        return report
    current = build_report(scope, period) if suppressed else report
    return {**report, **frozen_header(snapshot, current, suppressed=suppressed),
            "settings_changed_since_frozen": settings_changed_since(snapshot, scope.settings)}


def frozen_header(snapshot: ReportSnapshot, current: dict, *, suppressed: bool) -> dict:
    """`frozen` (when, and for the team its content hash) and `changed_since_frozen` against today."""
    changes = differences(snapshot.report, current)
    frozen = {"at": snapshot.frozen_at.isoformat(), "period": snapshot.period_name}
    if suppressed:
        changes = [{"key": c["key"]} for c in changes]
    else:
        frozen["content_hash"] = snapshot.content_hash
    return {"frozen": frozen, "changed_since_frozen": changes}
