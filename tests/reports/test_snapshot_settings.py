"""A frozen snapshot keeps the settings it was computed with; a later settings change is shown
as such, never silently re-read into the frozen figures."""

import datetime as dt

from casework.reports.periods import Period
from casework.reports.service import build_report, team_scope
from casework.reports.snapshots import close_due, comparison_for, settings_of, snapshot_for
from casework.teams.service import update_team_settings

PERIOD = Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30))


def test_a_snapshot_keeps_its_settings_after_the_team_changes_them(enrolled, record, team, make_user):
    record(enrolled, "exited", "2021-05-03", {"category": "studies"})
    close_due(dt.date(2022, 1, 15))
    scope = team_scope(team)
    snapshot = snapshot_for(scope, PERIOD)
    frozen_report = dict(snapshot.report)
    assert snapshot.settings == team.settings.to_dict()
    assert comparison_for(scope, PERIOD, build_report(scope, PERIOD))["settings_changed_since_frozen"] == []

    update_team_settings(team, team.settings_json | {"goal_categories": ["work"]}, make_user("team_lead", [team]))
    now = comparison_for(scope, PERIOD, build_report(scope, PERIOD))
    assert now["settings_changed_since_frozen"] == ["goal_categories"]
    assert {c["key"] for c in now["changed_since_frozen"]} >= {"goal_reached"}
    snapshot = snapshot_for(scope, PERIOD)
    assert snapshot.report == frozen_report and snapshot.report["goal_reached"] == 1
    assert settings_of(snapshot).goal_categories == ("work", "studies", "vocational_rehab")
    assert team.settings.goal_categories == ("work",)


def test_the_report_page_says_the_settings_changed_since_freezing(enrolled, record, team, make_user, login, client):
    record(enrolled, "exited", "2021-05-03", {"category": "studies"})
    close_due(dt.date(2022, 1, 15))
    lead = make_user("team_lead", [team])
    login(lead)
    url = f"/reports/?scope=team:{team.slug}&from=2021-01-01&to=2021-06-30"
    assert "Teaminställningarna har ändrats" not in client.get(url).get_data(as_text=True)
    update_team_settings(team, team.settings_json | {"goal_categories": ["work"]}, lead)
    assert "Teaminställningarna har ändrats" in client.get(url).get_data(as_text=True)
