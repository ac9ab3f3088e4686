"""The report from the database: corrections through the event service, one team vs its federation."""

import datetime as dt

from casework.events.service import correct_event
from casework.reports.periods import Period
from casework.reports.service import build_report, federation_scope, team_scope

YEAR = Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31))


def test_correction_and_its_reversal_through_the_service(enrolled, record, team):
    exit_event = record(enrolled, "exited", "2021-05-03", {"category": "work", "income_sources": ["salary"]})
    before = build_report(team_scope(team), YEAR)
    assert before["exits_by_category"]["work"] == 1
    correction = correct_event(enrolled, exit_event.id, "Fel deltagare", day=dt.date(2021, 6, 1))
    voided = build_report(team_scope(team), YEAR)
    assert (voided["exits_total"], voided["enrolled_at_end"]) == (0, 1)
    correct_event(enrolled, correction.id, "Rättelsen var fel", day=dt.date(2021, 6, 2))
    assert build_report(team_scope(team), YEAR) == before


def test_other_teams_are_not_counted(enrolled, team, make_team, make_participant, record):
    other = make_team("annat-team", federation=team.federation.name)
    stranger = make_participant(other, "Bo Annan")
    record(stranger, "referral_received", "2021-01-05", {"referrer_org": "af"})
    record(stranger, "enrolled", "2021-03-01")
    assert build_report(team_scope(team), YEAR)["new_enrolments"] == 1
    federation = build_report(federation_scope(team.federation), YEAR)
    assert federation["new_enrolments"] == 2
    assert sorted(federation["teams"]) == sorted([team.slug, other.slug])


def test_pruned_loading_gives_the_same_report_as_reading_everything(kraften_example, make_participant, record):
    from casework.reports.compute import compute_report
    from casework.reports.service import load_all_facts, with_organisation_figures

    team, _ = kraften_example
    old = make_participant(team, None, gender="man", birth_year=1970)
    record(old, "referral_received", "2016-01-04", {"referrer_org": "soc"})  # queued for years
    scope = team_scope(team)
    settings = {team.id: team.settings}
    for start, end in [("2020-07-01", "2021-06-30"), ("2021-01-01", "2021-06-30"), ("2020-09-15", "2020-11-30"),
                       ("2021-04-01", "2021-12-31"), ("2019-01-01", "2019-12-31"), ("2025-01-01", "2025-06-30")]:
        period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        full = compute_report(*load_all_facts([team.id], period), period, settings, team.settings, scope.header)
        with_organisation_figures(full, [team.id])
        assert build_report(scope, period) == full, (start, end)
        assert full["queue_at_end"]["count"] >= 1


def test_a_report_leaves_the_cyclic_collector_as_it_found_it(team):
    import gc

    assert gc.isenabled()
    build_report(team_scope(team), YEAR)
    assert gc.isenabled()
    gc.disable()
    try:
        build_report(team_scope(team), YEAR)
        assert not gc.isenabled()
    finally:
        gc.enable()
