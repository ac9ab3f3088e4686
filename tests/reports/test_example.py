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


def test_any_line_order_gives_the_same_report(kraften_example_lines):
    """The importer in shuffled line order, against the pure computation over the file as written."""
    import json
    import random

    from casework.exchange.service import import_lines
    from casework.reports.compute import compute_report
    from casework.reports.facts import EventFact, ParticipantFacts
    from casework.reports.service import with_organisation_figures
    from casework.teams.service import get_team
    from casework.teams.settings import load_settings

    lines = list(kraften_example_lines)
    shuffled = lines[:]
    random.Random(20210630).shuffle(shuffled)
    import_lines(shuffled)
    team = get_team("kraften-hedemora")
    period = Period(dt.date(2020, 7, 1), dt.date(2021, 6, 30))

    records = [json.loads(line) for line in lines]
    settings = load_settings(next(r for r in records if r["record"] == "team").get("settings"))
    people = [ParticipantFacts(r["ref"], "t", r["gender"], r["birth_year"], r.get("education", "unknown"),
                               r.get("support_months_before")) for r in records if r["record"] == "participant"]
    events = [EventFact(r["id"], r["ref"], r["type"], dt.date.fromisoformat(r["date"]), r.get("data") or {}, n)
              for n, r in enumerate(records) if r["record"] == "event"]
    from_file = compute_report(people, events, period, {"t": settings}, settings, {"team": team.slug})
    with_organisation_figures(from_file, [team.id])  # from the team's own records, not from the log
    assert build_report(team_scope(team), period) == from_file
