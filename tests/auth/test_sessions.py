"""Server-side sessions: the cookie names a record, checked on every request."""

import sqlalchemy as sa

from casework.auth.models import UserSession
from casework.extensions import db
from tests.conftest import TEST_PASSWORD

DOMAIN = "casework.test"


def _cookie(app, client) -> dict:
    raw = client.get_cookie("session", domain=DOMAIN).value
    return app.session_interface.get_signing_serializer(app).loads(raw)


def _records(user):
    return db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)).all()


def test_the_cookie_carries_only_a_session_secret_that_changes_at_sign_in(app, client, coach, login):
    login(coach)
    first = _cookie(app, client)
    assert coach.id not in str(first)
    assert not any(first["_user_id"] == row.id for row in _records(coach))  # the record holds only a hash
    client.post("/logout")
    login(coach)
    assert _cookie(app, client)["_user_id"] != first["_user_id"]


def test_signing_out_kills_a_replayed_cookie(app, client, coach, login):
    login(coach)
    stolen = client.get_cookie("session", domain=DOMAIN).value
    client.post("/logout")
    client.set_cookie("session", stolen, domain=DOMAIN)
    assert client.get("/account").status_code == 302
    assert client.get("/api/v1/teams").status_code == 401


def test_an_idle_session_ends(client, coach, login, time_machine):
    login(coach)
    time_machine.move(minutes=29)
    assert client.get("/account").status_code == 200
    time_machine.move(minutes=29)
    assert client.get("/account").status_code == 200
    time_machine.move(minutes=31)
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert all(row.ended_at is not None for row in _records(coach))


def test_the_absolute_lifetime_does_not_restart_with_activity(client, coach, login, time_machine, enrolled):
    login(coach)
    step = {"type": "assessment", "date": "2021-03-01"}
    for _ in range(16):  # 16 × 29 min = 7 h 44 min, with a read and a write every time
        time_machine.move(minutes=29)
        assert client.get("/account").status_code == 200
        assert client.post(f"/api/v1/participants/{enrolled.id}/events", json=step).status_code == 201
    time_machine.move(minutes=17)
    assert client.get("/account").status_code == 302


def test_a_password_change_ends_the_other_sessions_and_renews_this_one(app, client, other_client, coach, login,
                                                                      password_step, code):
    login(coach)
    password_step(coach, other_client)
    assert other_client.post("/login/code", data={"code": code(coach)}).status_code == 302
    before = client.get_cookie("session", domain=DOMAIN).value
    response = client.post("/account/password", data={"current": TEST_PASSWORD, "password": "ny lång fras om hösten",
                                                      "repeated": "ny lång fras om hösten"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other_client.get("/account").status_code == 302
    other_client.set_cookie("session", before, domain=DOMAIN)
    assert other_client.get("/account").status_code == 302


def test_a_wrong_current_password_changes_nothing(client, coach, login):
    login(coach)
    old_hash = coach.password_hash
    response = client.post("/account/password", data={"current": "not it at all", "password": "ny lång fras om hösten",
                                                      "repeated": "ny lång fras om hösten"})
    assert response.status_code == 400 and "Nuvarande lösenord är fel" in response.get_data(as_text=True)
    db.session.refresh(coach)
    assert coach.password_hash == old_hash


def test_the_account_page_lists_sessions_and_ends_another(client, other_client, coach, login, password_step, code):
    login(coach)
    password_step(coach, other_client)
    other_client.post("/login/code", data={"code": code(coach)})
    page = client.get("/account").get_data(as_text=True)
    assert "Den här" in page and page.count("/end") == 1
    other = next(row for row in _records(coach) if row.stage == "full" and row.id in page)
    assert client.post(f"/account/sessions/{other.id}/end").status_code == 302
    assert other_client.get("/account").status_code == 302
    assert client.get("/account").status_code == 200
    assert client.post("/account/sessions/not-a-session/end").status_code == 404
