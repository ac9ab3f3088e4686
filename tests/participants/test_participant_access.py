"""Who reaches which participant page: every page route against every role; CSRF; cookies."""

import pytest

from casework.events.service import log_of
from tests.conftest import totp_code

OWN, OTHER = "own", "other"

# (method, route template, form data); {slug}, {pid} and {eid} are filled per case
ROUTES = [
    ("GET", "/teams", None),
    ("GET", "/teams/{slug}/participants", None),
    ("POST", "/teams/{slug}/participants", {"q": "Anna"}),
    ("GET", "/teams/{slug}/participants/new", None),
    ("POST", "/teams/{slug}/participants/new", {"gender": "man", "birth_year": "1980", "anonymous": "y",
                                                "step": "study_visit", "date": "2021-03-01"}),
    ("GET", "/participants/{pid}", None),
    ("POST", "/participants/{pid}/events", {"type": "assessment", "assessment-date": "2021-03-01"}),
    ("GET", "/participants/{pid}/events/{eid}/correct", None),
    ("POST", "/participants/{pid}/events/{eid}/correct", {"reason": "Fel", "confirm": "y"}),
]

TEAM_ROUTES = {"/teams/{slug}/participants", "/teams/{slug}/participants/new"}


def expected_status(role: str, where: str, method: str, route: str) -> int | tuple:
    if role == "anonymous":
        return 302
    if role not in ("coach", "team_lead"):
        return 403
    if route == "/teams":
        return (200, 302)
    if where == OTHER:
        return 403 if route in TEAM_ROUTES else 404
    return 302 if method == "POST" and route != "/teams/{slug}/participants" else 200


@pytest.fixture
def world(make_team, make_participant, record):
    """Two teams, each with an enrolled participant whose log has a referral to correct."""
    teams, participants, events = {}, {}, {}
    for where in (OWN, OTHER):
        team = make_team()
        participant = make_participant(team, f"Person {where}")
        events[where] = record(participant, "referral_received", "2021-01-05", {"referrer_org": "fk"})
        record(participant, "enrolled", "2021-02-01", {})
        teams[where], participants[where] = team, participant
    return teams, participants, events


def user_for(role, make_user, own_team):
    if role == "anonymous":
        return None
    if role in ("coach", "team_lead"):
        return make_user(role, [own_team])
    return make_user(role, federation="Testförbundet" if role == "analyst" else None)


@pytest.mark.parametrize("role", ["coach", "team_lead", "referrer", "analyst", "auditor", "admin", "anonymous"])
@pytest.mark.parametrize("where", [OWN, OTHER])
@pytest.mark.parametrize("method, route, data", ROUTES, ids=[f"{m} {r}" for m, r, _ in ROUTES])
def test_role_matrix(client, login, make_user, world, role, where, method, route, data):
    teams, participants, events = world
    user = user_for(role, make_user, teams[OWN])
    if user is not None:
        login(user)
    url = route.format(slug=teams[where].slug, pid=participants[where].id, eid=events[where].id)
    before = len(log_of(participants[where].id))
    response = client.open(url, method=method, data=data)
    expected = expected_status(role, where, method, route)
    assert response.status_code in (expected if isinstance(expected, tuple) else (expected,)), url
    if role == "anonymous":
        assert "/login" in response.headers["Location"]
    if response.status_code >= 400:
        assert f"Person {where}" not in response.get_data(as_text=True)
        assert len(log_of(participants[where].id)) == before


def test_the_start_page_sends_each_role_to_its_own_work(client, login, make_user, team):
    for role in ("referrer", "auditor", "admin"):
        client.post("/logout")
        login(make_user(role))
        location = client.get("/").headers["Location"]
        assert "/teams" not in location and "/participants" not in location
    client.post("/logout")
    login(make_user("coach", [team]))
    assert client.get("/").headers["Location"].endswith("/teams")


def test_the_menu_offers_participants_to_team_staff_only(client, login, make_user, team):
    login(make_user("coach", [team]))
    assert 'href="/teams"' in client.get("/account").get_data(as_text=True)
    client.post("/logout")
    login(make_user("referrer"))
    assert 'href="/teams"' not in client.get("/account").get_data(as_text=True)


@pytest.fixture
def csrf_enabled(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_forms_need_the_csrf_token_when_enabled(client, coach, enrolled, csrf_enabled):
    import re

    from flask import g

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"email": coach.email, "password": "correct horse battery"}).status_code == 400
    response = client.post("/login", data={"email": coach.email, "password": "correct horse battery",
                                           "csrf_token": token})
    assert response.status_code == 302
    g.pop("csrf_token", None)  # the test's one app context would keep the token of the session before login
    page = client.get("/login/enrol").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login/enrol", data={"code": totp_code(coach)}).status_code == 400
    assert client.post("/login/enrol", data={"code": totp_code(coach), "csrf_token": token}).status_code == 200
    g.pop("csrf_token", None)
    page = client.get(f"/participants/{enrolled.id}").get_data(as_text=True)
    token = re.search(r'name="assessment-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"type": "assessment", "assessment-date": "2021-03-01"}
    assert client.post(f"/participants/{enrolled.id}/events", data=form).status_code == 400
    assert len(log_of(enrolled.id)) == 2
    response = client.post(f"/participants/{enrolled.id}/events", data={**form, "assessment-csrf_token": token})
    assert response.status_code == 302
    assert len(log_of(enrolled.id)) == 3


def test_the_session_cookie_is_httponly_and_samesite(client, coach, team, login):
    response = client.post("/login", data={"email": coach.email, "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    login(coach)
    response = client.get(f"/teams/{team.slug}/participants")
    assert response.status_code == 200
