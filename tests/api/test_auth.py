"""Session and bearer-token authentication, revoked tokens, CSRF on session writes."""

import pytest

from casework.auth.service import issue_token, revoke_tokens
from casework.extensions import db

API = "/api/v1"
STEP = {"type": "assessment", "date": "2021-03-01"}


def test_bearer_token_signs_the_caller_in(client, coach, bearer):
    response = client.get(f"{API}/me", headers=bearer(coach))
    assert response.status_code == 200
    assert response.get_json() | {"id": None} == {"id": None, "email": coach.email, "name": "Cora Coach",
                                                   "role": "coach", "teams": ["kraften-test"], "csrf_token": None}


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "bearer"])
def test_a_wrong_token_is_refused(client, coach, header):
    response = client.get(f"{API}/teams", headers={"Authorization": header})
    assert response.status_code == 401 and response.get_json()["code"] == 401


def test_a_revoked_token_is_refused(client, coach, enrolled, counts):
    token = issue_token(coach)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{API}/teams", headers=headers).status_code == 200
    revoke_tokens(coach)
    db.session.commit()
    before = counts()
    assert client.get(f"{API}/teams", headers=headers).status_code == 401
    assert client.post(f"{API}/participants/{enrolled.id}/events", json=STEP, headers=headers).status_code == 401
    assert counts() == before


def test_a_deactivated_users_token_is_refused(client, coach, bearer):
    headers = bearer(coach)
    coach.active = False
    db.session.commit()
    assert client.get(f"{API}/teams", headers=headers).status_code == 401


def test_session_cookie_signs_the_caller_in(client, coach, login):
    login(coach)
    response = client.get(f"{API}/teams")
    assert response.status_code == 200 and [t["slug"] for t in response.get_json()] == ["kraften-test"]


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_session_writes_need_the_csrf_token(app, client, coach, login, enrolled, counts, monkeypatch):
    login(coach)
    db.session.commit()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"{API}/participants/{enrolled.id}/events"
    before = counts()
    refused = client.post(url, json=STEP)
    assert refused.status_code == 400 and "CSRF" in refused.get_json()["message"]
    wrong = client.post(url, json=STEP, headers={"X-CSRFToken": "forged"})
    assert wrong.status_code == 400
    assert counts() == before
    token = client.get(f"{API}/me").get_json()["csrf_token"]
    assert token
    accepted = client.post(url, json=STEP, headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.get_json()


def test_bearer_writes_need_no_csrf_token(app, client, coach, bearer, enrolled, csrf_on):
    response = client.post(f"{API}/participants/{enrolled.id}/events", json=STEP, headers=bearer(coach))
    assert response.status_code == 201


def test_anonymous_write_gets_401_not_a_csrf_error(client, enrolled, csrf_on):
    response = client.post(f"{API}/participants/{enrolled.id}/events", json=STEP)
    assert response.status_code == 401


def test_signing_out_ends_api_access(client, coach, login):
    login(coach)
    assert client.get(f"{API}/teams").status_code == 200
    client.post("/logout")
    assert client.get(f"{API}/teams").status_code == 401
