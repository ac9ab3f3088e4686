"""The organisation records through the API: the lead adds and changes, staff read, others are refused."""

from tests.api.conftest import API

STAFF = {"id": "S01", "name": "Anna Coach", "role": "coach", "employer": "af", "extent_percent": 50,
         "from": "2021-01-01", "to": None}
BUDGET = {"line": "own_staff", "from": "2020-01-01", "to": "2020-12-31", "decided": 1900000, "outcome": 1860162,
          "forecast": None}


def test_the_lead_adds_and_changes_a_staff_period_and_the_change_is_listed(client, users, team, bearer):
    lead = bearer(users["team_lead"])
    created = client.post(f"{API}/teams/{team.slug}/staff", json=STAFF, headers=lead)
    assert created.status_code == 201, created.json
    assert {k: v for k, v in created.json.items() if k != "record_id"} == STAFF
    changed = client.put(f"{API}/teams/{team.slug}/staff/{created.json['record_id']}",
                         json={**STAFF, "extent_percent": 20}, headers=lead)
    assert changed.status_code == 200 and changed.json["extent_percent"] == 20
    listed = client.get(f"{API}/teams/{team.slug}/staff", headers=bearer(users["coach_own"]))
    assert [row["extent_percent"] for row in listed.json] == [20]
    changes = client.get(f"{API}/teams/{team.slug}/organisation/changes", headers=lead).json
    assert sorted((c["before"] or {}).get("extent_percent", 0) for c in changes) == [0, 50]
    assert {c["source"] for c in changes} == {"api"}


def test_bad_input_is_a_422_on_its_field_and_nothing_is_written(client, users, team, bearer):
    lead = bearer(users["team_lead"])
    for body, field in (({**BUDGET, "decided": -1}, "decided"), ({**BUDGET, "line": "travel"}, "line"),
                        ({"date": "2999-01-01", "kind": "steering_group"}, "date")):
        path = "meetings" if "date" in body else "budget"
        answer = client.post(f"{API}/teams/{team.slug}/{path}", json=body, headers=lead)
        assert answer.status_code == 422 and field in answer.json["errors"], answer.json
    client.post(f"{API}/teams/{team.slug}/budget", json=BUDGET, headers=lead)
    overlap = client.post(f"{API}/teams/{team.slug}/budget", json={**BUDGET, "from": "2020-06-01", "to": "2021-05-31"},
                          headers=lead)
    assert overlap.status_code == 422 and overlap.json["error"] == "organisation.budget_overlap"
    assert len(client.get(f"{API}/teams/{team.slug}/budget", headers=lead).json) == 1


def test_coaches_and_other_teams_may_not_change_and_analysts_may_not_list(client, users, team, bearer):
    path = f"{API}/teams/{team.slug}/meetings"
    body = {"date": "2021-03-10", "kind": "steering_group"}
    assert client.post(path, json=body, headers=bearer(users["coach_own"])).status_code == 403
    assert client.post(path, json=body, headers=bearer(users["coach_other"])).status_code == 404
    assert client.get(path, headers=bearer(users["analyst"])).status_code == 403
    assert client.post(path, json=body, headers=bearer(users["admin"])).status_code == 201
    assert client.put(f"{path}/nonexistent", json=body, headers=bearer(users["team_lead"])).status_code == 404
