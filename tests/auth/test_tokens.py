"""API tokens: expiry, scope, last use, revocation by the owner and the admin."""

import pytest
import sqlalchemy as sa

from casework.auth.models import ApiToken
from casework.auth.tokens import issue_token, token_hash
from casework.events.models import Event
from casework.extensions import db

API = "/api/v1"
STEP = {"type": "assessment", "date": "2021-03-01"}


def _row(token: str) -> ApiToken:
    return db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == token_hash(token)))


def test_a_token_expires(client, coach, time_machine):
    token = issue_token(coach, days=1)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{API}/teams", headers=headers).status_code == 200
    time_machine.move(days=1, minutes=1)
    assert client.get(f"{API}/teams", headers=headers).status_code == 401


def test_api_tokens_expire_after_90_days_by_default_and_feeds_never(coach):
    api, feed = _row(issue_token(coach)), _row(issue_token(coach, "calendar"))
    assert (api.expires_at - api.created_at).days == 90 and feed.expires_at is None


@pytest.fixture
def counts():
    """How many events exist: to show that a refused call wrote nothing."""
    return lambda: db.session.scalar(sa.select(sa.func.count()).select_from(Event))


def test_a_read_token_cannot_write(client, coach, enrolled, counts):
    token = issue_token(coach, scope="read")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    before = counts()
    refused = client.post(f"{API}/participants/{enrolled.id}/events", json=STEP, headers=headers)
    assert refused.status_code == 403 and refused.get_json()["status"] == "PermissionDenied"
    assert client.delete(f"{API}/participants/{enrolled.id}", headers=headers).status_code == 403
    assert counts() == before
    assert client.get(f"{API}/participants/{enrolled.id}", headers=headers).status_code == 200
    writer = issue_token(coach, scope="write")
    db.session.commit()
    accepted = client.post(f"{API}/participants/{enrolled.id}/events", json=STEP,
                           headers={"Authorization": f"Bearer {writer}"})
    assert accepted.status_code == 201


def test_last_use_is_recorded_at_most_once_a_minute(client, coach, time_machine):
    token = issue_token(coach)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert _row(token).last_used_at is None
    client.get(f"{API}/teams", headers=headers)
    first = _row(token).last_used_at
    assert first is not None
    time_machine.move(seconds=30)
    client.get(f"{API}/teams", headers=headers)
    assert _row(token).last_used_at == first
    time_machine.move(seconds=40)
    client.get(f"{API}/teams", headers=headers)
    assert _row(token).last_used_at > first


def test_the_owner_revokes_a_token_on_the_account_page(client, coach, make_user, team, login):
    token = issue_token(coach, name="Rapportskript")
    someone_else = issue_token(make_user("coach", [team]))
    db.session.commit()
    login(coach)
    page = client.get("/account").get_data(as_text=True)
    assert "Rapportskript" in page and "läsa" in page
    assert client.post(f"/account/tokens/{_row(someone_else).id}/revoke").status_code == 404
    assert _row(someone_else).revoked_at is None
    assert client.post(f"/account/tokens/{_row(token).id}/revoke").status_code == 302
    assert client.get(f"{API}/teams", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_cli_issues_lists_and_revokes(app, client, coach):
    runner = app.test_cli_runner()
    issued = runner.invoke(args=["users", "token", coach.email, "--scope", "write", "--days", "30", "--name", "sync"])
    assert issued.exit_code == 0, issued.output
    token = issued.output.strip()
    row = _row(token)
    assert row.scope == "write" and row.name == "sync" and (row.expires_at - row.created_at).days == 30
    listed = runner.invoke(args=["users", "tokens", coach.email])
    assert row.id in listed.output and "current" in listed.output and token not in listed.output
    assert runner.invoke(args=["users", "revoke-token", row.id]).exit_code == 0
    assert client.get(f"{API}/teams", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "revoked" in runner.invoke(args=["users", "tokens", coach.email]).output
    missing = runner.invoke(args=["users", "revoke-token", "no-such-id"])
    assert missing.exit_code == 1 and "No such token" in missing.output
    assert runner.invoke(args=["users", "token", coach.email, "--days", "0"]).exit_code == 2
