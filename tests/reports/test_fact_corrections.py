"""A `facts_corrected` event moves the person in every report, closed periods included."""

import datetime as dt

from casework.events.service import append_event, correct_event
from casework.reports.periods import Period
from casework.reports.service import build_report, load_all_facts, paths_for, team_scope
from casework.reports.snapshots import close_due, comparison_for

H1 = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))


def test_a_corrected_gender_moves_the_person_in_the_gender_split(enrolled, record, team):
    scope = team_scope(team)
    before = build_report(scope, H1)["new_by_gender"]
    assert (before.get("woman"), before.get("man", 0)) == (1, 0)
    record(enrolled, "facts_corrected", "2021-09-01", {"gender": "man", "reason": "Felregistrerat kön"})
    after = build_report(scope, H1)["new_by_gender"]
    assert (after.get("woman", 0), after.get("man")) == (0, 1)


def test_a_closed_period_shows_the_correction_as_a_change(enrolled, record, team):
    close_due(dt.date(2022, 1, 15))
    scope = team_scope(team)
    assert comparison_for(scope, H1, build_report(scope, H1))["changed_since_frozen"] == []
    record(enrolled, "facts_corrected", "2022-01-20", {"gender": "man", "reason": "Felregistrerat kön"})
    changes = {c["key"]: c for c in comparison_for(scope, H1, build_report(scope, H1))["changed_since_frozen"]}
    assert changes["new_by_gender.man"] == {"key": "new_by_gender.man", "frozen": 0, "now": 1}
    assert changes["new_by_gender.woman"]["frozen"] == 1


def test_only_the_named_facts_change_and_the_latest_correction_wins(enrolled, team):
    for day, data in [("2021-03-01", {"birth_year": 1985, "reason": "Fel år"}),
                      ("2021-04-01", {"birth_year": 1986, "education": "compulsory", "reason": "Igen"})]:
        append_event(enrolled, "facts_corrected", day, data, confirm_warnings=True)  # the year contradicts the pnr
    (person,), _ = load_all_facts([team.id], H1)
    (path,) = paths_for(team_scope(team), H1, H1.start)
    for facts in (person, path.person):
        assert (facts.gender, facts.birth_year, facts.education) == ("woman", 1986, "compulsory")


def test_a_voided_fact_correction_no_longer_counts(enrolled, record, team):
    fix = record(enrolled, "facts_corrected", "2021-03-01", {"gender": "man", "reason": "Fel"})
    correct_event(enrolled, fix.id, "Det var rätt från början", day=dt.date(2021, 3, 2))
    assert build_report(team_scope(team), H1)["new_by_gender"].get("man", 0) == 0
