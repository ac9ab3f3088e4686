"""`GET /api/v1/tasks`: the same list as the page, filtered by the query, scoped to the caller's teams."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from tests.api.conftest import API

CONSENTS = {"consents": ["documentation", "information_sharing", "statistics"]}


def ago(months=0, days=0) -> str:
    return (dt.date.today() - relativedelta(months=months, days=days)).isoformat()


@pytest.fixture
def in_trial(make_participant, team, record):
    """Enrolled so that the trial (2 months) ends in 5 days."""
    person = make_participant(team, "Tova Prövotid")
    record(person, "referral_received", ago(months=2, days=2), {"referrer_org": "fk"})
    record(person, "enrolled", ago(months=2, days=-5), CONSENTS)
    return person


@pytest.fixture
def waiting(make_participant, team, record):
    person = make_participant(team, "Kim Kö")
    record(person, "referral_received", ago(months=3), {"referrer_org": "af"})
    return person


def get(client, headers, query=""):
    return client.get(f"{API}/tasks{query}", headers=headers)


def test_the_callers_tasks_by_date(client, bearer, users, in_trial, waiting, stranger, record):
    record(stranger, "enrolled", ago(months=4), CONSENTS)  # in the other team: never listed here
    response = get(client, bearer(users["coach_own"]))
    assert response.status_code == 200
    body = response.get_json()
    assert body["as_of"] == dt.date.today().isoformat()
    rows = [(t["ref"], t["name"], t["kind"], t["step"], t["overdue"]) for t in body["tasks"]]
    assert rows == [(waiting.ref, "Kim Kö", "queue_wait", "enrolled", True),
                    (in_trial.ref, "Tova Prövotid", "trial_end", "trial_completed", False)]
    assert body["tasks"][1]["days_left"] == 5 and body["tasks"][1]["team"] == "kraften-test"
    assert all(t["participant_id"] != stranger.id for t in body["tasks"])


def test_the_trial_task_disappears_once_recorded(client, bearer, users, in_trial, record):
    headers = bearer(users["coach_own"])
    assert [t["kind"] for t in get(client, headers).get_json()["tasks"]] == ["trial_end"]
    record(in_trial, "trial_completed", dt.date.today().isoformat())
    assert get(client, headers).get_json()["tasks"] == []


def test_filters(client, bearer, users, in_trial, waiting):
    headers = bearer(users["team_lead"])
    assert [t["kind"] for t in get(client, headers, "?overdue=true").get_json()["tasks"]] == ["queue_wait"]
    assert [t["kind"] for t in get(client, headers, "?kind=trial_end").get_json()["tasks"]] == ["trial_end"]
    both = get(client, headers, "?kind=trial_end&kind=queue_wait&within_days=5").get_json()["tasks"]
    assert [t["kind"] for t in both] == ["queue_wait", "trial_end"]
    assert [t["kind"] for t in get(client, headers, "?within_days=4").get_json()["tasks"]] == ["queue_wait"]
    later = {t["kind"] for t in get(client, headers, "?within_days=200").get_json()["tasks"]}
    assert {"follow_up", "half_year_review", "nns_ongoing"} <= later
    assert len(get(client, headers, "?team=kraften-test").get_json()["tasks"]) == 2


@pytest.mark.parametrize(("query", "field"), [
    ("?within_days=-1", "within_days"), ("?within_days=tomorrow", "within_days"), ("?within_days=9999", "within_days"),
    ("?kind=lunch", "kind"), ("?overdue=perhaps", "overdue"), ("?sort=name", "sort"),
])
def test_a_bad_query_value_is_a_400_naming_its_field(client, bearer, users, in_trial, query, field):
    response = get(client, bearer(users["coach_own"]), query)
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "tasks.invalid_query" and field in body["errors"]


def test_another_teams_list_is_not_found_and_other_roles_are_refused(client, bearer, users, in_trial, other_team):
    response = get(client, bearer(users["coach_own"]), f"?team={other_team.slug}")
    assert response.status_code == 404 and response.get_json()["error"] == "tasks.team_not_found"
    assert get(client, bearer(users["coach_other"])).get_json()["tasks"] == []
    for role in ("referrer", "analyst", "auditor", "admin"):
        assert get(client, bearer(users[role])).status_code == 403
    assert client.get(f"{API}/tasks").status_code == 401


def test_the_openapi_document_describes_the_filters_and_errors(client):
    operation = client.get(f"{API}/openapi.json").get_json()["paths"]["/api/v1/tasks"]["get"]
    assert {p["name"] for p in operation["parameters"] if p["in"] == "query"} == {"kind", "within_days", "overdue",
                                                                                   "team"}
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
