"""Security headers on pages, API answers, static files and errors (issue 10, item 5)."""

import pytest

from casework.web.headers import CSP

EVERYWHERE = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _has_security_headers(response):
    for name, value in EVERYWHERE.items():
        assert response.headers.get(name) == value, name
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert response.headers["X-Request-ID"]


def _not_stored(response):
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Pragma"] == "no-cache"


def test_csp_allows_nothing_inline():
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    assert "default-src 'none'" in CSP and "frame-ancestors 'none'" in CSP


def test_a_signed_in_page_has_the_headers_and_is_not_stored(login, coach, client):
    login(coach)
    response = client.get("/teams/kraften-test/participants")
    assert response.status_code == 200
    _has_security_headers(response)
    _not_stored(response)


def test_the_login_page_has_the_headers(client):
    response = client.get("/login")
    _has_security_headers(response)
    _not_stored(response)


def test_an_api_answer_has_the_headers_and_is_not_stored(client, coach, bearer):
    response = client.get("/api/v1/me", headers=bearer(coach))
    assert response.status_code == 200
    _has_security_headers(response)
    _not_stored(response)


@pytest.mark.parametrize("path", ["/no-such-page", "/api/v1/no-such-thing"])
def test_an_error_has_the_headers(client, path):
    response = client.get(path)
    assert response.status_code == 404
    _has_security_headers(response)
    _not_stored(response)


def test_a_static_file_has_the_headers_and_may_be_cached(client):
    response = client.get("/static/casework.css")
    assert response.status_code == 200
    _has_security_headers(response)
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_hsts_only_with_secure_cookies(app, client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    assert client.get("/login").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_a_safe_request_id_from_the_proxy_is_kept_and_an_unsafe_one_replaced(client):
    assert client.get("/login", headers={"X-Request-ID": "proxy-1234abcd"}).headers["X-Request-ID"] == "proxy-1234abcd"
    replaced = client.get("/login", headers={"X-Request-ID": "<script>x</script>"}).headers["X-Request-ID"]
    assert replaced != "<script>x</script>" and replaced.isalnum()
    first, second = client.get("/login").headers["X-Request-ID"], client.get("/login").headers["X-Request-ID"]
    assert first != second
