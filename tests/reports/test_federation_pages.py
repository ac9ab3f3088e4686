"""The federation's pages: who reaches them, every team once, charts with accessible names, downloads."""

import html
import io
import re

import pytest
from openpyxl import load_workbook


@pytest.fixture
def federation_teams(make_team, make_participant, record):
    teams = [make_team(f"sida-{n}", f"Sidteam {n}", federation="Sidförbundet") for n in range(3)]
    for index, team in enumerate(teams):
        for n in range(3 + index):
            person = make_participant(team, "Pers Person", gender="man" if n % 2 else "woman")
            record(person, "referral_received", "2021-01-05", {"referrer_org": "fk"})
            record(person, "enrolled", "2021-02-01")
            if n % 2:
                record(person, "exited", "2021-05-03", {"category": "work"})
    return teams


def test_analyst_sees_every_team_once_with_charts(federation_teams, make_user, login, client):
    login(make_user("analyst", federation="Sidförbundet"))
    response = client.get("/federation/", query_string={"period": "2021H1"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for team in federation_teams:
        assert page.count(f'<th scope="row">{team.name}</th>') == 2  # this period and the previous one
    assert "Förbundet totalt" in page
    charts = re.findall(r'<img src="(/federation/chart/[^"]+)" role="img" alt="([^"]+)"', page)
    assert len(charts) == 3 and all("Sidteam 0" in alt for _, alt in charts)  # no cost without budgets
    svg = client.get(html.unescape(charts[0][0]))
    assert svg.status_code == 200 and b'<svg role="img"' in svg.data


def test_xlsx_has_a_row_per_team_and_the_previous_period(federation_teams, make_user, login, client):
    login(make_user("analyst", federation="Sidförbundet"))
    response = client.get("/federation/download.xlsx", query_string={"period": "2021H1"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    current, previous = workbook.worksheets
    assert [current.cell(r, 1).value for r in range(3, 7)] == ["Sidteam 0", "Sidteam 1", "Sidteam 2",
                                                               "Förbundet totalt"]
    assert current.cell(6, 2).value == 12 and previous.cell(6, 2).value == 0
    assert current.cell(4, 2).value == 4


def test_finsam_page_and_download(federation_teams, make_user, login, client):
    login(make_user("analyst", federation="Sidförbundet"))
    page = client.get("/federation/finsam", query_string={"year": "2021"}).get_data(as_text=True)
    assert all(page.count(f'<th scope="row">{t.name}</th>') == 1 for t in federation_teams)
    csv = client.get("/federation/finsam.csv", query_string={"year": "2021"})
    assert csv.status_code == 200 and "Sidteam 2;..;<3;0;0;0;0;;" in csv.get_data(as_text=True)  # 3 women, 2 men


def test_other_roles_and_federations_are_refused(federation_teams, make_user, make_team, login, client):
    make_team("fjarran", federation="Fjärrförbundet")
    login(make_user("team_lead", federation_teams[:1]))
    assert client.get("/federation/").status_code == 403
    assert client.get("/federation/finsam").status_code == 403
    login(make_user("analyst", federation="Sidförbundet"))
    assert client.get("/federation/", query_string={"federation": "Fjärrförbundet"}).status_code == 403
    assert client.get("/federation/", query_string={"period": "2021H7"}).status_code == 400
    assert client.get("/federation/finsam", query_string={"year": "tjugo"}).status_code == 400
    login(make_user("admin"))
    assert client.get("/federation/", query_string={"federation": "Fjärrförbundet", "period": "2021"}).status_code == 200


def test_chart_images_reuse_the_page_s_figures_and_are_authorised(federation_teams, make_user, login, client,
                                                                   monkeypatch):
    from casework.reports import federation_views

    login(make_user("analyst", federation="Sidförbundet"))
    page = client.get("/federation/", query_string={"period": "2021H1"}).get_data(as_text=True)
    urls = [html.unescape(u) for u in re.findall(r'<img src="(/federation/chart/[^"]+)"', page)]
    computed = []
    real_view = federation_views.federation_view
    monkeypatch.setattr(federation_views, "federation_view", lambda *a: computed.append(a) or real_view(*a))
    assert all(client.get(url).status_code == 200 for url in urls)
    assert computed == []
    stale = re.sub(r"v=\w+", "v=0000", urls[0])
    assert client.get(stale).status_code == 200 and len(computed) == 1
    assert client.get("/federation/chart/nonsense.svg", query_string={"period": "2021H1"}).status_code == 404
    login(make_user("team_lead", federation_teams[:1]))
    assert client.get(urls[0]).status_code == 403
