"""Deactivation (admin page and CLI) ends a person's access at once."""

import pytest
import sqlalchemy as sa

from casework.auth.models import ApiToken
from casework.auth.tokens import issue_token
from casework.extensions import db
from tests.conftest import TEST_PASSWORD

API = "/api/v1"


@pytest.fixture
def admin(make_user):
    return make_user("admin")


def test_the_admin_page_deactivates_and_everything_stops(client, other_client, coach, admin, login, password_step,
                                                         code):
    token = issue_token(coach, scope="write")
    db.session.commit()
    login(coach)
    password_step(admin, other_client)
    other_client.get("/login/enrol")
    other_client.post("/login/enrol", data={"code": code(admin)})
    page = other_client.get("/admin/users").get_data(as_text=True)
    assert coach.email in page and "Avaktivera" in page
    assert other_client.post(f"/admin/users/{coach.id}/deactivate").status_code == 302
    assert not coach.active
    assert client.get("/account").status_code == 302
    assert client.get(f"{API}/teams", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    refused = password_step(coach)
    assert refused.status_code == 400 and "Fel e-post eller lösenord" in refused.get_data(as_text=True)
    assert other_client.post(f"/admin/users/{coach.id}/activate").status_code == 302
    assert coach.active
    assert client.get(f"{API}/teams", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_only_an_admin_reaches_the_user_list(client, coach, make_user, login):
    login(coach)
    assert client.get("/admin/users").status_code == 403
    assert client.post(f"/admin/users/{coach.id}/deactivate").status_code == 403
    assert coach.active


def test_an_admin_cannot_lock_themself_out(client, admin, login):
    login(admin)
    client.post(f"/admin/users/{admin.id}/deactivate")
    assert admin.active and client.get("/admin/users").status_code == 200


def test_the_cli_deactivates_and_activates(app, client, coach, login, password_step):
    login(coach)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "deactivate", coach.email])
    assert result.exit_code == 0, result.output
    assert client.get("/account").status_code == 302
    assert password_step(coach).status_code == 400
    assert runner.invoke(args=["users", "activate", coach.email]).exit_code == 0
    assert client.post("/login", data={"email": coach.email, "password": TEST_PASSWORD}).status_code == 302
    assert runner.invoke(args=["users", "deactivate", "nobody@example.org"]).exit_code == 1


def test_the_admin_revokes_a_token(client, coach, admin, login):
    token = issue_token(coach)
    db.session.commit()
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == coach.id))
    login(admin)
    assert client.post(f"/admin/tokens/{row.id}/revoke").status_code == 302
    assert client.get(f"{API}/teams", headers={"Authorization": f"Bearer {token}"}).status_code == 401
