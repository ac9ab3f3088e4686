"""Freezing ended periods, and later corrections shown against the frozen figures."""

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from casework.cli import main
from casework.events.service import correct_event
from casework.reports.models import ImmutableSnapshot, ReportSnapshot
from casework.reports.periods import Period
from casework.reports.service import build_report, team_scope
from casework.reports.snapshots import close_due, comparison_for, content_hash


def test_close_due_freezes_each_ended_period_once(enrolled, record, team, session):
    record(enrolled, "exited", "2021-05-03", {"category": "studies"})
    made = close_due(dt.date(2022, 1, 15))
    names = sorted(s.period_name for s in made)
    assert names == ["2021", "2021H1", "2021H2"]  # the log starts in January 2021
    assert close_due(dt.date(2022, 1, 15)) == []
    snapshot = next(s for s in made if s.period_name == "2021H1")
    assert snapshot.report["exits_by_category"]["studies"] == 1
    assert snapshot.content_hash == content_hash(snapshot.report)
    snapshot.content_hash = "0" * 64
    with pytest.raises(ImmutableSnapshot):
        session.flush()
    session.rollback()


def test_a_later_correction_shows_as_a_difference(enrolled, record, team, app):
    exit_event = record(enrolled, "exited", "2021-05-03", {"category": "studies"})
    close_due(dt.date(2022, 1, 15))
    period = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))
    scope = team_scope(team)
    unchanged = comparison_for(scope, period, build_report(scope, period))
    assert unchanged["changed_since_frozen"] == []
    correct_event(enrolled, exit_event.id, "Fel datum", day=dt.date(2022, 1, 20))
    changed = comparison_for(scope, period, build_report(scope, period))
    keys = {c["key"]: c for c in changed["changed_since_frozen"]}
    assert keys["exits_total"] == {"key": "exits_total", "frozen": 1, "now": 0}
    assert keys["exits_by_category.studies"]["frozen"] == 1

    result = app.test_cli_runner().invoke(main, ["report", "--team", team.slug, "--half-year", "2021H1"])
    assert result.exit_code == 0, result.output
    assert {"key": "exits_total", "frozen": 1, "now": 0} in json.loads(result.output)["changed_since_frozen"]


def test_close_due_command_is_idempotent(enrolled, app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(main, ["reports", "close-due"])
    assert first.exit_code == 0, first.output
    count = session.scalar(sa.select(sa.func.count()).select_from(ReportSnapshot))
    assert count > 0
    second = runner.invoke(main, ["reports", "close-due"])
    assert "0 snapshot(s) frozen." in second.output
    assert session.scalar(sa.select(sa.func.count()).select_from(ReportSnapshot)) == count


def test_a_key_added_after_freezing_is_not_a_change(enrolled, record, team, session):
    """A snapshot frozen before `unique_persons` existed shows no change for it."""
    record(enrolled, "exited", "2021-05-03", {"category": "studies"})
    period = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))
    scope = team_scope(team)
    report = build_report(scope, period)
    older = {k: v for k, v in report.items() if k != "unique_persons"}
    session.add(ReportSnapshot(team_id=team.id, period_name="2021H1", period_start=period.start,
                               period_end=period.end, report=older, content_hash=content_hash(older)))
    session.flush()
    assert comparison_for(scope, period, report)["changed_since_frozen"] == []
    changed = {**report, "unique_persons": 7}
    assert comparison_for(scope, period, changed)["changed_since_frozen"] == []
    changed = {**report, "exits_total": 7}
    assert [c["key"] for c in comparison_for(scope, period, changed)["changed_since_frozen"]] == ["exits_total"]
