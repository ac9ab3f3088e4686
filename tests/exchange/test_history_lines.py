"""`history` lines (DOMAIN.md §6): checked, idempotent, exported again, and read by reports."""

import json

import pytest
import sqlalchemy as sa
from test_exchange_export import renamed

from casework.exchange.exporting import export_team
from casework.exchange.service import ImportRefused, import_lines
from casework.extensions import db
from casework.reports.models import ReportHistory
from casework.reports.periods import calendar_year
from casework.reports.service import build_report, team_scope
from casework.teams.service import get_team
from tests.exchange.conftest import EXAMPLE_TEAM

FIGURES = {"throughput_months": {"all": {"all": 28.5}}, "exits_total": 30, "new_by_age": {"18-30": 4}}


def history(**changes) -> str:
    record = {"record": "history", "team": EXAMPLE_TEAM, "from": "2017-01-01", "to": "2017-12-31",
              "figures": FIGURES, "source": "Verksamhetsberättelse 2017", **changes}
    return json.dumps(record, ensure_ascii=False)


def refused(lines) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRefused) as caught:
        import_lines(lines)
    return caught.value.line_errors


def stored() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ReportHistory))


def test_history_before_the_log_is_imported_once_and_read_by_the_report(example_lines):
    summary = import_lines([*example_lines, history()])
    assert (summary.history_added, summary.history_skipped) == (1, 0)
    again = import_lines([history()])
    assert (again.history_added, again.history_skipped) == (0, 1)
    assert stored() == 1
    report = build_report(team_scope(get_team(EXAMPLE_TEAM)), calendar_year("2018"))
    assert report["previous_period"]["source"] == "history"
    assert report["previous_period"]["history_source"] == "Verksamhetsberättelse 2017"
    assert report["previous_period"]["exits_total"] == 30
    assert [p["months"] for p in report["throughput_trend"] if p.get("source") == "history"] == [28.5]


def test_every_bad_history_line_is_named_and_nothing_is_written(example_lines):
    lines = [*example_lines,
             history(**{"from": "2020-01-01", "to": "2020-12-31"}),
             history(team="no-such-team"),
             history(**{"from": "2016-12-31", "to": "2016-01-01"}),
             history(**{"from": "2015-01-01", "to": "2015-12-31"}, figures={"exits_totl": 3, "exits_total": "30",
                                                                           "age": 40, "new_by_age": {"18-30": True}}),
             history(**{"from": "2014-01-01", "to": "2014-12-31"}, source="x" * 201),
             history(**{"from": "2012-01-01", "to": "2012-12-31"}, figures={}),
             history(**{"from": "2013-01-01", "to": "2013-12-31"}),
             history(**{"from": "2013-01-01", "to": "2013-12-31"})]
    first = len(example_lines) + 1
    errors = refused(lines)
    assert errors == [
        (first, "from", "The period overlaps the period the team's log covers; history is only for periods before "
                        "the log."),
        (first + 1, "team", "Unknown team 'no-such-team'."),
        (first + 2, "to", "The period ends before it starts."),
        (first + 3, "figures.exits_totl", "Not a figure of the report."),
        (first + 3, "figures.exits_total", "Must be a number (or null)."),
        (first + 3, "figures.age", "Must be an object, as in the report."),
        (first + 3, "figures.new_by_age.18-30", "Must be a number (or null)."),
        (first + 4, "source", "Length must be between 1 and 200."),
        (first + 5, "figures", "Give at least one figure."),
        (first + 7, "from", f"The same team and period as line {first + 6}."),
    ]
    assert stored() == 0 and db.session.scalar(sa.select(sa.func.count()).select_from(ReportHistory)) == 0


def test_other_figures_for_an_imported_period_are_refused(example_lines):
    import_lines([*example_lines, history()])
    changed = {**FIGURES, "exits_total": 31}
    assert refused([history(figures=changed)]) == [
        (1, "figures", "A history of this team and period is already imported with other figures.")]


def test_history_is_exported_and_imports_again(example_lines, coach):
    import_lines([*example_lines, history()])
    exported = list(export_team(get_team(EXAMPLE_TEAM), coach))
    assert json.loads(exported[-1]) == json.loads(history())
    import_lines(renamed(exported, EXAMPLE_TEAM, "kraften-copy"))
    copy = build_report(team_scope(get_team("kraften-copy")), calendar_year("2018"))
    assert copy["previous_period"] == build_report(team_scope(get_team(EXAMPLE_TEAM)),
                                                   calendar_year("2018"))["previous_period"]
