"""Readers outside the team: named periods only, no "<3" on a true value of 3 or more, no hashes
of the unsuppressed figures."""

import datetime as dt
import json

from casework.cli import main
from casework.reports.periods import named
from casework.reports.service import build_report, team_scope
from casework.reports.snapshots import close_due
from casework.reports.suppress import HIDDEN, SUPPRESSED, count_cells, dig


def test_an_analysts_kraften_report_has_no_small_cell_sign_on_three_or_more(kraften_example, make_user, login,
                                                                           client):
    team, _ = kraften_example
    login(make_user("analyst", federation=team.federation.name))
    query = {"scope": f"team:{team.slug}", "period": "2020/21"}
    shown = json.loads(client.get("/reports/download.json", query_string=query).data)
    true = build_report(team_scope(team), named("2020/21"))
    hidden = [p for p in count_cells(true) if dig(shown, *p) in (SUPPRESSED, HIDDEN)]
    assert hidden, "the example has small cells"
    for path in count_cells(true):
        assert (dig(shown, *path) == SUPPRESSED) == (dig(true, *path) in (1, 2)), path
    page = client.get("/reports/", query_string=query).get_data(as_text=True)
    assert "uppgift kan inte redovisas" in page
    assert 'type="date"' not in page
    assert '<option value="2020/21" selected>' in page  # the period shown, though not among the recent ones


def test_free_dates_are_refused_outside_the_team_on_the_page(team, make_user, login, client):
    login(make_user("analyst", federation=team.federation.name))
    query = {"scope": f"team:{team.slug}", "from": "2020-07-01", "to": "2020-09-28"}
    for path in ("/reports/", "/reports/download.json"):
        response = client.get(path, query_string=query)
        assert response.status_code == 400
    assert "namngivna perioder" in client.get("/reports/", query_string=query).get_data(as_text=True)
    assert client.get("/reports/", query_string={"scope": f"team:{team.slug}", "period": "2020H2"}).status_code == 200


def test_free_dates_are_refused_for_suppressed_figures_on_the_command_line(enrolled, team, app):
    runner = app.test_cli_runner()
    named_ok = runner.invoke(main, ["report", "--team", team.slug, "--half-year", "2021H1", "--suppressed"])
    assert named_ok.exit_code == 0, named_ok.output
    assert json.loads(named_ok.output)["new_enrolments"] == SUPPRESSED
    refused = runner.invoke(main, ["report", "--team", team.slug, "--from", "2020-07-01", "--to", "2020-09-28",
                                   "--suppressed"])
    assert refused.exit_code != 0
    assert "named periods only" in refused.output


def test_snapshot_hashes_are_not_shown_outside_the_team(enrolled, record, team, make_user, login, client):
    record(enrolled, "exited", "2021-05-03", {"category": "studies"})
    snapshot = next(s for s in close_due(dt.date(2022, 1, 15)) if s.period_name == "2021H1")
    login(make_user("analyst", federation=team.federation.name))
    query = {"scope": f"team:{team.slug}", "period": "2021H1"}
    page = client.get("/reports/", query_string=query).get_data(as_text=True)
    assert snapshot.content_hash[:12] not in page
    assert "period=2021H1" in page  # frozen reports linked by their name
    report = json.loads(client.get("/reports/download.json", query_string=query).data)
    assert report["suppressed"] is True
    lead = make_user("team_lead", [team])
    login(lead)
    assert snapshot.content_hash in client.get("/reports/", query_string=query).get_data(as_text=True)
