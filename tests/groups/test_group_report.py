"""The `groups` report key against counts made by hand from an imported log (issue 12's check)."""

import datetime as dt
import json

import pytest

from casework.exchange.exporting import export_team
from casework.exchange.service import ImportRefused, import_lines
from casework.groups.models import GroupSession
from casework.groups.service import void_group_session
from casework.reports.periods import Period
from casework.reports.service import build_report, figures, team_scope
from casework.teams.service import get_team

SLUG = "grupp-team"
YEAR = Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31), "2021")
REFS = [f"P{n:02d}" for n in range(1, 14)]  # P13 attends nothing
SESSIONS = [
    ("G1", "2021-03-02", "forest_group", 2, REFS[0:6]),
    ("G2", "2021-03-09", "forest_group", 2, [*REFS[0:4], "P07"]),
    ("G3", "2021-04-01", "meeting_point", 3, REFS[6:12]),
    ("G4", "2021-05-05", "meeting_point", 1.5, ["P01", "P12"]),
    ("G5", "2021-06-10", "start_group", 2, ["P08", "P09", "P10"]),
]
# Counted by hand from SESSIONS: forest P01–P07, meeting point P07–P12 and P01, start group P08–P10.
EXPECTED = {
    "forest_group": {"sessions": 2, "hours": 4, "attendances": 11, "distinct_participants": 7},
    "meeting_point": {"sessions": 2, "hours": 4.5, "attendances": 8, "distinct_participants": 7},
    "start_group": {"sessions": 1, "hours": 2, "attendances": 3, "distinct_participants": 3},
    "all": {"sessions": 5, "hours": 10.5, "attendances": 22, "distinct_participants": 12},
}
NONE = {"sessions": 0, "hours": 0, "attendances": 0, "distinct_participants": 0}


def lines(sessions=SESSIONS) -> list[str]:
    records = [{"record": "team", "slug": SLUG, "name": "Gruppteamet", "federation": "Testförbundet"}]
    for number, ref in enumerate(REFS, start=1):
        records.append({"record": "participant", "ref": ref, "team": SLUG, "gender": "woman" if number % 2 else "man",
                        "birth_year": 1980 + number, "education": "unknown", "support_months_before": 12,
                        "anonymous": True})
        records.append({"record": "event", "id": f"R{number}", "ref": ref, "type": "referral_received",
                        "date": "2021-01-10", "data": {"referrer_org": "af", "income_sources": ["none"]}})
        records.append({"record": "event", "id": f"E{number}", "ref": ref, "type": "enrolled", "date": "2021-02-01",
                        "data": {"consents": ["documentation", "information_sharing", "statistics"]}})
    records += [{"record": "group_session", "id": ext_id, "team": SLUG, "date": day, "kind": kind, "hours": hours,
                 "attendees": attendees} for ext_id, day, kind, hours, attendees in sessions]
    return [json.dumps(r, ensure_ascii=False) for r in records]


def groups_of(report: dict) -> dict:
    return {kind: row for kind, row in report["groups"].items() if row != NONE}


def test_the_groups_counts_equal_those_counted_by_hand():
    summary = import_lines(lines())
    assert summary.group_sessions_added == 5
    report = build_report(team_scope(get_team(SLUG)), YEAR)
    assert groups_of(report) == EXPECTED
    assert report["groups"]["gym"] == NONE
    assert groups_of(report["previous_period"]) == {}


def test_a_voided_session_drops_out_of_the_report():
    import_lines(lines())
    team = get_team(SLUG)
    session = next(s for s in team_sessions(team) if s.ext_id == "G5")
    void_group_session(session, reason="Inställd")
    report = build_report(team_scope(team), YEAR)
    assert "start_group" not in groups_of(report)
    assert report["groups"]["all"] == {"sessions": 4, "hours": 8.5, "attendances": 19, "distinct_participants": 12}


def test_outside_the_team_small_cells_are_suppressed():
    import_lines(lines())
    report = figures(team_scope(get_team(SLUG)), YEAR, suppressed=True)
    assert report["groups"]["start_group"]["attendances"] == 3
    assert report["groups"]["meeting_point"]["sessions"] == "<3"
    assert report["groups"]["meeting_point"]["hours"] == 4.5


def test_importing_the_file_twice_adds_no_session():
    import_lines(lines())
    summary = import_lines(lines())
    assert (summary.group_sessions_added, summary.group_sessions_skipped) == (0, 5)


def test_export_then_import_gives_the_same_groups(make_team):
    import_lines(lines())
    team = get_team(SLUG)
    void_group_session(next(s for s in team_sessions(team) if s.ext_id == "G4"), reason="Fel datum")
    before = build_report(team_scope(team), YEAR)["groups"]
    exported = list(export_team(team))
    assert not any('"group_session_id"' in line for line in exported)
    moved = [line.replace(SLUG, "flyttat-team") for line in exported]
    import_lines(moved)
    assert build_report(team_scope(get_team("flyttat-team")), YEAR)["groups"] == before


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"attendees": ["P01", "P99"]}, "attendees", "Unknown participant of this team: P99."),
    ({"date": "2021-01-20"}, "attendees", "An attendee was not enrolled on the session's date."),
    ({"hours": 13}, "hours", "Hours must be more than 0 and at most 12."),
    ({"kind": "bowling"}, "kind", "Unknown kind of group session."),
    ({"attendees": []}, "attendees", "Tick at least one attendee."),
    ({"date": "2999-01-01"}, "date", "The date is in the future."),
])
def test_a_bad_session_line_names_its_line_and_field_and_nothing_is_written(session, change, field, message):
    bad = list(SESSIONS)
    ext_id, day, kind, hours, attendees = bad[2]
    values = {"date": day, "kind": kind, "hours": hours, "attendees": attendees, **change}
    bad[2] = (ext_id, values["date"], values["kind"], values["hours"], values["attendees"])
    text = lines(bad)
    number = next(i for i, line in enumerate(text, start=1) if '"G3"' in line)
    with pytest.raises(ImportRefused) as refused:
        import_lines(text)
    assert refused.value.line_errors == [(number, field, message)]


def team_sessions(team) -> list[GroupSession]:
    from casework.groups.service import sessions_of

    return sessions_of(team)
