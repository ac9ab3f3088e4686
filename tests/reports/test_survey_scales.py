"""The surveys key on a team's own scales: its steps, its top two, its labels in every format."""

import datetime as dt

from casework.reports.compute import compute_report
from casework.reports.facts import EventFact, ParticipantFacts
from casework.reports.periods import Period
from casework.reports.render import render
from casework.reports.service import build_report, team_scope
from casework.reports.survey_tables import survey_chart_specs, survey_tables
from casework.teams.service import save_team
from casework.teams.settings import TeamSettings

YEAR = Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31))
FIVE = ("aldrig", "sällan", "ibland", "ofta", "alltid")
STAIRS = ("Motivation", "Förberedelse", "Praktik", "Arbete")
SMALL = TeamSettings(nns_scale=FIVE, process_steps=STAIRS)


def people_answering(team_id: str, q1_answers: list, steps: list, start: int = 0):
    people, events = [], []
    for n, (q1, step) in enumerate(zip(q1_answers, steps, strict=True), start=start):
        pid = f"{team_id}{n}"
        people.append(ParticipantFacts(pid, team_id, "woman", 1985, "unknown", 24))
        events += [EventFact(f"{pid}-1", pid, "enrolled", dt.date(2021, 1, 10), {}, 1),
                   EventFact(f"{pid}-2", pid, "survey", dt.date(2021, 3, 1),
                             {"instrument": "nns_ongoing", "answers": {"q1": q1}}, 2),
                   EventFact(f"{pid}-3", pid, "survey", dt.date(2021, 3, 2),
                             {"instrument": "process_staircase", "answers": {"step": step}}, 3)]
    return people, events


def test_steps_and_the_top_two_follow_the_teams_scale():
    people, events = people_answering("t", [5, 4, 4, 3, None, 1], [1, 4, 4, 2, 3, 3])
    report = compute_report(people, events, YEAR, {"t": SMALL}, SMALL)["surveys"]
    assert report["nns_ongoing"]["answers"]["q1"] == {"1": 1, "2": 0, "3": 1, "4": 2, "5": 1, "not_answered": 1}
    assert report["nns_ongoing"]["top_two_share"]["q1"] == 0.6  # 4 and 5 of five answers
    assert report["process_staircase"]["answers"]["step"] == {"1": 1, "2": 1, "3": 2, "4": 2, "not_answered": 0}


def test_the_default_scale_counts_five_and_six_as_the_top_two():
    people, events = people_answering("t", [5, 4, 6, 6], [7, 1, 1, 1])
    report = compute_report(people, events, YEAR, {"t": TeamSettings()}, TeamSettings())["surveys"]
    assert list(report["nns_ongoing"]["answers"]["q1"]) == ["1", "2", "3", "4", "5", "6", "not_answered"]
    assert report["nns_ongoing"]["top_two_share"]["q1"] == 0.75


def test_a_federation_counts_each_answer_in_the_top_two_of_its_own_teams_scale():
    small, default = people_answering("s", [4, 4], [1, 1]), people_answering("d", [4, 6], [1, 7])
    people, events = small[0] + default[0], small[1] + default[1]
    report = compute_report(people, events, YEAR, {"s": SMALL, "d": TeamSettings()}, TeamSettings())["surveys"]
    q1 = report["nns_ongoing"]["answers"]["q1"]
    assert list(q1) == ["1", "2", "3", "4", "5", "6", "not_answered"] and q1["4"] == 3
    assert report["nns_ongoing"]["top_two_share"]["q1"] == 0.75  # both 4s on the 5-step scale, the 6


def test_tables_and_charts_name_the_teams_steps():
    people, events = people_answering("t", [5, 4, 4], [1, 4, 2])
    report = compute_report(people, events, YEAR, {"t": SMALL}, SMALL)
    tables = {t.key: t for t in survey_tables(report, SMALL)}
    assert tables["survey_nns_ongoing"].headings[1:7] == [*FIVE, "Ej besvarad"]
    assert tables["survey_process_staircase"].headings[1:5] == list(STAIRS)
    assert tables["survey_ors"].headings[1:3] == ["0", "1"]
    assert "(ofta / alltid)" in survey_chart_specs(report, SMALL)["survey_nns_ongoing"]["title"]
    default = {t.key: t for t in survey_tables(report, TeamSettings())}
    assert default["survey_nns_ongoing"].headings[1] == "inte alls"


def test_every_format_shows_the_teams_labels(session):
    team = save_team("scale-team", "Scale Team", "Testförbundet",
                     {"nns_scale": list(FIVE), "process_steps": list(STAIRS)})
    scope = team_scope(team)
    report = build_report(scope, YEAR)
    for fmt in ("csv", "html"):
        text = render(report, scope, YEAR, fmt, title="Rapport")
        assert "alltid" in text and "Förberedelse" in text, fmt
    assert render(report, scope, YEAR, "xlsx", title="Rapport")[:2] == b"PK"
    assert render(report, scope, YEAR, "docx", title="Rapport")[:2] == b"PK"
