"""Who may call what: the role × route matrix, and another team's participant is never shown."""

import pytest

API = "/api/v1"
STAFF_ONLY = {"coach_own": None, "coach_other": 404, "team_lead": None, "referrer": 403, "analyst": 403,
              "auditor": 403, "admin": 403, "nobody": 401}


def _routes(participant, event):
    """(method, path, body, status when allowed) of every API route."""
    pid = participant.id
    return {
        "list_teams": ("GET", f"{API}/teams", None, 200),
        "read_team": ("GET", f"{API}/teams/kraften-test", None, 200),
        "list_participants": ("GET", f"{API}/teams/kraften-test/participants", None, 200),
        "create_participant": ("POST", f"{API}/teams/kraften-test/participants",
                               {"gender": "man", "birth_year": 1970, "anonymous": True,
                                "first_step": {"type": "study_visit", "date": "2021-01-02"}}, 201),
        "read_participant": ("GET", f"{API}/participants/{pid}", None, 200),
        "list_events": ("GET", f"{API}/participants/{pid}/events", None, 200),
        "append_event": ("POST", f"{API}/participants/{pid}/events",
                         {"type": "assessment", "date": "2021-03-01"}, 201),
        "correct_event": ("POST", f"{API}/participants/{pid}/events/{event.id}/correction",
                          {"reason": "Fel datum"}, 201),
        "me": ("GET", f"{API}/me", None, 200),
    }


# None: allowed. Teams are not case content: an analyst sees the federation's, an admin all.
MATRIX = {
    "list_teams": dict.fromkeys(STAFF_ONLY) | {"nobody": 401},
    "read_team": {"coach_own": None, "coach_other": 404, "team_lead": None, "referrer": 404, "analyst": None,
                  "auditor": 404, "admin": None, "nobody": 401},
    "list_participants": STAFF_ONLY,
    "create_participant": STAFF_ONLY,
    "read_participant": STAFF_ONLY,
    "list_events": STAFF_ONLY,
    "append_event": STAFF_ONLY,
    "correct_event": STAFF_ONLY,
    "me": dict.fromkeys(STAFF_ONLY) | {"nobody": 401},
}
CASES = [(route, role) for route, roles in MATRIX.items() for role in roles]


@pytest.mark.parametrize("route, role", CASES, ids=[f"{r}-{u}" for r, u in CASES])
def test_role_route_matrix(client, bearer, users, enrolled, route, role):
    from casework.events.service import log_of

    method, path, body, allowed = _routes(enrolled, log_of(enrolled.id)[-1])[route]
    headers = bearer(users[role]) if role != "nobody" else {}
    response = client.open(path, method=method, json=body, headers=headers)
    expected = MATRIX[route][role] or allowed
    assert response.status_code == expected, response.get_data(as_text=True)
    assert response.is_json
    if expected >= 400:
        error = response.get_json()
        assert error["code"] == expected and error["status"] and error["message"]


def test_unauthenticated_call_gets_json_401_not_a_redirect(client):
    response = client.get(f"{API}/teams/kraften-test/participants")
    assert response.status_code == 401
    assert response.get_json()["code"] == 401
    assert "Location" not in response.headers
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_another_teams_participant_is_never_shown(client, coach, bearer, stranger, counts):
    from casework.events.service import log_of

    headers = bearer(coach)
    event = log_of(stranger.id)[0]
    before = counts()
    listed = client.get(f"{API}/teams/kraften-test/participants", headers=headers).get_json()
    assert stranger.id not in {r["id"] for r in listed}
    assert client.get(f"{API}/teams/other-team/participants", headers=headers).status_code == 404
    for ident in (stranger.id, stranger.ref):
        for method, path, body in [
            ("GET", f"{API}/participants/{ident}", None),
            ("GET", f"{API}/participants/{ident}/events", None),
            ("POST", f"{API}/participants/{ident}/events", {"type": "enrolled", "date": "2021-02-01"}),
            ("POST", f"{API}/participants/{ident}/events/{event.id}/correction", {"reason": "x"}),
        ]:
            response = client.open(path, method=method, json=body, headers=headers)
            assert response.status_code == 404, (method, path)
            assert "Olof" not in response.get_data(as_text=True)
    assert counts() == before


def test_an_event_of_another_participant_cannot_be_corrected_through_this_one(client, coach, bearer, enrolled,
                                                                               make_participant, record, counts):
    other = make_participant(enrolled.team, "Vera Annan")
    foreign = record(other, "study_visit", "2021-01-02", {})
    before = counts()
    response = client.post(f"{API}/participants/{enrolled.id}/events/{foreign.id}/correction",
                           json={"reason": "x"}, headers=bearer(coach))
    assert response.status_code == 404
    assert counts() == before
