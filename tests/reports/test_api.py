"""The report through the JSON API: the CLI's JSON, the page's readers, suppression and snapshots."""

import datetime as dt
import json

import pytest
from openapi_schema_validator import OAS30Validator

from casework.cli import main
from casework.events.service import correct_event
from casework.extensions import db
from casework.reports.snapshots import close_due
from casework.reports.suppress import HIDDEN, SUPPRESSED

API = "/api/v1/reports"


@pytest.fixture
def kraften(kraften_example, make_user, make_team):
    team, _ = kraften_example
    federation = team.federation
    make_team("utanfor", federation="Annat förbund")
    users = {
        "team": team, "federation": federation,
        "lead": make_user("team_lead", [team]), "coach": make_user("coach", [team]),
        "analyst": make_user("analyst", federation=federation.name),
        "foreign_analyst": make_user("analyst", federation="Annat förbund"),
        "other_coach": make_user("coach", [make_team("annat-team", federation=federation.name)]),
        "referrer": make_user("referrer"), "auditor": make_user("auditor"), "admin": make_user("admin"),
    }
    db.session.commit()  # kept when a refused request rolls its own work back
    return users


@pytest.fixture
def document(client):
    return json.loads(client.get("/api/v1/openapi.json").get_data(as_text=True))


def conforms(document: dict, name: str, body) -> None:
    """The body matches the component schema the OpenAPI document gives for it."""
    OAS30Validator({"$ref": f"#/components/schemas/{name}", "components": document["components"]}).validate(body)


def test_team_staff_get_the_same_json_as_the_command_line(kraften, client, bearer, app, document):
    team = kraften["team"]
    cli = app.test_cli_runner().invoke(main, ["report", "--team", team.slug, "--operational-year", "2020/21"])
    assert cli.exit_code == 0, cli.output
    for role in ("lead", "coach"):
        response = client.get(f"{API}/teams/{team.slug}", query_string={"period": "2020/21"},
                              headers=bearer(kraften[role]))
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json() == json.loads(cli.output)
    free = client.get(f"{API}/teams/{team.slug}", query_string={"from": "2020-07-01", "to": "2020-09-28"},
                      headers=bearer(kraften["lead"]))
    assert free.status_code == 200 and free.get_json()["to"] == "2020-09-28"
    conforms(document, "Report", response.get_json())


def test_analysts_get_suppressed_figures_for_named_periods_only(kraften, client, bearer, document):
    team, federation, headers = kraften["team"], kraften["federation"], bearer(kraften["analyst"])
    for url in (f"{API}/teams/{team.slug}", f"{API}/federations/{federation.id}"):
        response = client.get(url, query_string={"period": "2020/21"}, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        report = response.get_json()
        assert report["suppressed"] is True
        assert report["exits_by_category"]["parental_leave"] == SUPPRESSED  # one exit in the example
        conforms(document, "Report", report)
        refused = client.get(url, query_string={"from": "2020-07-01", "to": "2020-09-28"}, headers=headers)
        assert refused.status_code == 422
        assert refused.get_json()["error"] == "report.named_period_only"
    listed = client.get(f"{API}/federations", headers=headers).get_json()
    assert listed == [{"id": federation.id, "name": federation.name, "teams": [t.slug for t in federation.teams]}]


@pytest.mark.parametrize(("role", "status"), [
    ("other_coach", 404), ("foreign_analyst", 404), ("referrer", 403), ("auditor", 403), ("admin", 403)])
def test_other_teams_and_roles_get_nothing(kraften, client, bearer, role, status):
    team = kraften["team"]
    response = client.get(f"{API}/teams/{team.slug}", query_string={"period": "2020/21"},
                          headers=bearer(kraften[role]))
    assert response.status_code == status
    assert response.get_json()["code"] == status
    assert client.get(f"{API}/teams/{team.slug}/snapshots", headers=bearer(kraften[role])).status_code == status


def test_federation_reports_are_for_its_own_analysts(kraften, client, bearer):
    federation = kraften["federation"]
    url = f"{API}/federations/{federation.id}"
    assert client.get(url, query_string={"period": "2021H1"}, headers=bearer(kraften["foreign_analyst"])
                      ).status_code == 404
    assert client.get(url, query_string={"period": "2021H1"}, headers=bearer(kraften["lead"])).status_code == 403
    assert client.get(f"{API}/federations/nowhere", query_string={"period": "2021H1"},
                      headers=bearer(kraften["analyst"])).status_code == 404
    assert client.get(url, query_string={"period": "2021H1"}).status_code == 401


@pytest.mark.parametrize(("query", "field"), [
    ({"period": "2021H7"}, "period"), ({"period": "2020/22"}, "period"), ({"period": "x" * 40}, "period"),
    ({"period": "0001H1"}, "period"), ({"from": "2021-13-01", "to": "2021-06-30"}, "from"),
    ({"from": "2021-06-30", "to": "2021-01-01"}, "to"), ({"from": "2021-01-01"}, "to"),
    ({"from": "0001-01-01", "to": "0001-12-31"}, "from"), ({"from": "2021-01-01", "to": "9999-12-31"}, "to"),
    ({}, "period"), ({"period": "2021H1", "from": "2021-01-01"}, "period"),
])
def test_bad_periods_and_dates_answer_422_with_the_field(kraften, client, bearer, query, field):
    response = client.get(f"{API}/teams/{kraften['team'].slug}", query_string=query, headers=bearer(kraften["lead"]))
    assert response.status_code == 422, query
    assert field in response.get_json()["errors"], response.get_json()


def test_snapshots_listed_and_fetched_with_hash_and_changes(enrolled, record, team, make_user, client, bearer,
                                                            document):
    exit_event = record(enrolled, "exited", "2021-05-03", {"category": "studies"})
    frozen = {s.period_name: s for s in close_due(dt.date(2022, 1, 15))}
    correct_event(enrolled, exit_event.id, "Fel datum", day=dt.date(2022, 1, 20))
    lead = bearer(make_user("team_lead", [team]))
    analyst = bearer(make_user("analyst", federation=team.federation.name))
    db.session.commit()
    rows = client.get(f"{API}/teams/{team.slug}/snapshots", headers=lead).get_json()
    assert {r["period"] for r in rows} == set(frozen)
    assert {r["content_hash"] for r in rows} == {s.content_hash for s in frozen.values()}
    conforms(document, "SnapshotRow", rows[0])
    snapshot = frozen["2021H1"]
    one = client.get(f"{API}/teams/{team.slug}/snapshots/{snapshot.id}", headers=lead).get_json()
    assert one["content_hash"] == snapshot.content_hash and one["report"] == snapshot.report
    assert {"key": "exits_total", "frozen": 1, "now": 0} in one["changed_since_frozen"]
    conforms(document, "Snapshot", one)
    report = client.get(f"{API}/teams/{team.slug}", query_string={"period": "2021H1"}, headers=lead).get_json()
    assert report["frozen"]["content_hash"] == snapshot.content_hash

    rows = client.get(f"{API}/teams/{team.slug}/snapshots", headers=analyst).get_json()
    assert {r["content_hash"] for r in rows} == {None}
    one = client.get(f"{API}/teams/{team.slug}/snapshots/{snapshot.id}", headers=analyst).get_json()
    assert one["content_hash"] is None and one["report"]["exits_total"] == SUPPRESSED
    assert one["report"]["throughput_months"]["all"]["all"] in (HIDDEN, None)
    assert {"key": "exits_total"} in one["changed_since_frozen"]
    report = client.get(f"{API}/teams/{team.slug}", query_string={"period": "2021H1"}, headers=analyst).get_json()
    assert "content_hash" not in report["frozen"]
    assert snapshot.content_hash not in json.dumps(report)


def test_another_teams_snapshot_is_not_found(enrolled, record, team, make_team, make_user, client, bearer):
    record(enrolled, "exited", "2021-05-03", {"category": "studies"})
    snapshot = close_due(dt.date(2022, 1, 15))[0]
    other = make_team("annat-team")
    lead = bearer(make_user("team_lead", [team, other]))
    db.session.commit()
    assert client.get(f"{API}/teams/{other.slug}/snapshots/{snapshot.id}", headers=lead).status_code == 404
    assert client.get(f"{API}/teams/{team.slug}/snapshots/no-such-id", headers=lead).status_code == 404


def test_every_report_route_is_documented_with_its_errors(document):
    paths = document["paths"]
    for path in ("/api/v1/reports/teams/{slug}", "/api/v1/reports/federations/{federation}"):
        operation = paths[path]["get"]
        assert {"200", "401", "403", "404", "422", "429"} <= set(operation["responses"])
        assert {p["name"] for p in operation["parameters"] if p["in"] == "query"} == {"from", "to", "period"}
    for path in ("/api/v1/reports/teams/{slug}/snapshots", "/api/v1/reports/teams/{slug}/snapshots/{snapshot_id}",
                 "/api/v1/reports/federations"):
        assert {"200", "401", "403"} <= set(paths[path]["get"]["responses"])
    assert document["components"]["schemas"]["Report"]["additionalProperties"] is True
