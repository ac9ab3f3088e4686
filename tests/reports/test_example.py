"""The worked example of DOMAIN.md §5: every figure of the expected file, from the log alone."""

import datetime as dt

from casework.reports.periods import Period
from casework.reports.service import build_report, team_scope


def assert_contains(expected, actual, path="report"):
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} missing"
            assert_contains(value, actual[key], f"{path}.{key}")
    else:
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"


def test_kraften_example_reproduces_every_expected_figure(kraften_example):
    team, expected = kraften_example
    period = Period(dt.date.fromisoformat(expected["from"]), dt.date.fromisoformat(expected["to"]))
    report = build_report(team_scope(team), period)
    assert report["team"] == expected["team"]
    assert (report["from"], report["to"]) == (expected["from"], expected["to"])
    assert_contains(expected["expected"], report)
    assert sum(report["exits_by_category"].values()) == report["exits_total"]
    assert (report["enrolled_at_start"] + report["new_enrolments"] - report["exits_total"]
            == report["enrolled_at_end"])
