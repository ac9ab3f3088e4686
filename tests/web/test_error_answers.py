"""Error answers: a 500 without details in the API's shape or as a Swedish page; 405 keeps Allow."""

import pytest

SECRET = "Anna Exempel 19900101-0017 anteckning"


@pytest.fixture
def broken(app, monkeypatch):
    """Make a view fail as production would see it: no propagation to the test client."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def break_view(endpoint):
        def boom(*args, **kwargs):
            raise RuntimeError(SECRET)

        monkeypatch.setitem(app.view_functions, endpoint, boom)

    return break_view


def test_an_unhandled_error_in_the_api_is_a_json_500_without_details(broken, client, coach, bearer):
    broken("api_session.me")
    response = client.get("/api/v1/me", headers=bearer(coach))
    assert response.status_code == 500
    body = response.get_json()
    assert body["code"] == 500 and body["status"] == "InternalServerError" and body["message"]
    text = response.get_data(as_text=True)
    assert SECRET not in text and "Traceback" not in text and "RuntimeError" not in text
    assert response.headers["Content-Security-Policy"] and response.headers["Cache-Control"] == "no-store"


def test_an_unhandled_error_on_a_page_is_a_plain_swedish_page(broken, login, coach, client):
    login(coach)
    broken("auth.account")
    response = client.get("/account")
    assert response.status_code == 500 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "Något gick fel hos oss" in text
    assert SECRET not in text and "Traceback" not in text and "RuntimeError" not in text
    assert response.headers["X-Frame-Options"] == "DENY"


def test_in_tests_an_unhandled_error_still_propagates(app, client, coach, bearer, monkeypatch):
    def boom():
        raise RuntimeError("visible to the test")

    monkeypatch.setitem(app.view_functions, "api_session.me", boom)
    with pytest.raises(RuntimeError, match="visible to the test"):
        client.get("/api/v1/me", headers=bearer(coach))


def test_405_in_the_api_is_json_and_says_what_is_allowed(client, coach, bearer):
    response = client.delete("/api/v1/me", headers=bearer(coach))
    assert response.status_code == 405
    assert response.get_json()["status"] == "MethodNotAllowed"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}


def test_405_on_a_page_says_what_is_allowed(client):
    response = client.delete("/login")
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "POST" in response.headers["Allow"] and "GET" in response.headers["Allow"]
