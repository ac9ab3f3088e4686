from casework.auth.service import issue_token, revoke_tokens, user_for_token


def test_sign_in_and_out(client, coach, login):
    assert client.get("/login").status_code == 200
    login(coach)
    assert client.get("/account").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, coach):
    response = client.post("/login", data={"email": coach.email, "password": "wrong password"})
    assert response.status_code == 400
    assert "Fel e-post eller lösenord" in response.get_data(as_text=True)
    response = client.post("/login", data={"email": "nobody@example.org", "password": "wrong password"})
    assert "Fel e-post eller lösenord" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(client, coach, login):
    response = client.post("/login", data={"email": coach.email, "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_tokens_are_stored_hashed_and_can_be_revoked(coach, session):
    token = issue_token(coach)
    assert user_for_token(token) == coach
    from casework.auth.models import ApiToken

    assert all(token not in row.token_hash for row in session.query(ApiToken))
    revoke_tokens(coach)
    assert user_for_token(token) is None


def test_a_bearer_token_works_beside_a_stale_session_cookie(client, coach, bearer):
    client.post("/language/en")
    response = client.get("/api/v1/teams", headers=bearer(coach))
    assert response.status_code == 200, response.get_json()
    assert [t["slug"] for t in response.get_json()] == ["kraften-test"]
