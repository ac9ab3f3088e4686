"""The report page: who sees what, downloads, bad periods."""

import html
import io
import json
import re

from openpyxl import load_workbook


def test_team_lead_sees_tables_and_charts_of_own_team(kraften_example, make_user, login, client):
    team, expected = kraften_example
    lead = make_user("team_lead", [team])
    login(lead)
    response = client.get("/reports/", query_string={"scope": f"team:{team.slug}", "period": "2020/21"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for heading in ("Deltagarresultat", "Nya deltagare", "Könsfördelning", "Genomströmningstid över tid",
                    "Försörjning före och efter", "Kö", "Uppföljningar med remittent", "Uppföljning efter avslut",
                    "Resultat per ålder och kön"):
        assert heading in page
    charts = re.findall(r'<img src="(/reports/chart/[^"]+)" role="img" alt="([^"]+)"', page)
    assert len(charts) == 6 and all(alt.strip() for _, alt in charts)
    svg = client.get(html.unescape(charts[0][0]))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b'<svg role="img"' in svg.data and b"<title>" in svg.data
    assert f'<td class="num">{expected["expected"]["enrolled_at_start"]}</td>' in page


def test_downloads_as_csv_xlsx_and_json(kraften_example, make_user, login, client):
    team, expected = kraften_example
    login(make_user("coach", [team]))
    query = {"scope": f"team:{team.slug}", "from": "2020-07-01", "to": "2021-06-30"}
    csv = client.get("/reports/download.csv", query_string=query)
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "Antal i mål" in csv.get_data(as_text=True)
    xlsx = client.get("/reports/download.xlsx", query_string=query)
    sheet = load_workbook(io.BytesIO(xlsx.data))["Deltagarresultat"]
    assert sheet.cell(3, 2).value == expected["expected"]["new_enrolments"]
    report = json.loads(client.get("/reports/download.json", query_string=query).data)
    assert report["exits_total"] == expected["expected"]["exits_total"]


def test_bad_periods_answer_400(team, make_user, login, client):
    login(make_user("coach", [team]))
    for query in ({"from": "2021-05-01", "to": "2021-01-01"}, {"from": "nonsense", "to": "2021-01-01"},
                  {"period": "2021H7"}):
        response = client.get("/reports/", query_string={"scope": f"team:{team.slug}", **query})
        assert response.status_code == 400, query


def test_other_teams_and_roles_are_refused(team, make_team, make_user, login, client):
    other = make_team("annat-team")
    login(make_user("coach", [team]))
    assert client.get("/reports/", query_string={"scope": f"team:{other.slug}"}).status_code == 403
    login(make_user("referrer"))
    assert client.get("/reports/").status_code == 403


def test_analyst_sees_only_suppressed_figures_of_own_federation(kraften_example, make_user, make_team, login,
                                                                client):
    team, expected = kraften_example
    foreign = make_team("utanfor", federation="Annat förbund")
    analyst = make_user("analyst", federation=team.federation.name)
    login(analyst)
    query = {"scope": f"federation:{team.federation.name}", "period": "2020/21"}
    assert client.get("/reports/", query_string=query).status_code == 200
    report = json.loads(client.get("/reports/download.json", query_string=query).data)
    assert report["suppressed"] is True
    assert report["exits_by_category"]["parental_leave"] == "<3"  # one exit in the example
    assert report["exits_total"] == expected["expected"]["exits_total"]
    csv = client.get("/reports/download.csv", query_string={**query, "scope": f"team:{team.slug}"})
    assert "<3" in csv.get_data(as_text=True)
    assert client.get("/reports/", query_string={"scope": f"team:{foreign.slug}"}).status_code == 403
