"""The password policy, wherever a password is set."""

import pytest
import sqlalchemy as sa

from casework.auth.models import User
from casework.auth.passwords import PasswordRejected, check_policy
from casework.extensions import db
from tests.conftest import TEST_PASSWORD


@pytest.mark.parametrize(("password", "reason"), [
    ("kort lösen", "short"),
    ("password1234", "common"),
    ("Baseball2024!", "common"),
    ("1qaz2wsx3edc", "common"),
    ("aaaaaaaaaaaaaaaa", "pattern"),
    ("abababababab", "pattern"),
    ("1234567890123", "pattern"),
    ("zyxwvutsrqponm", "pattern"),
    ("Cora.Coach-is-here", "personal"),
    ("my casework login", "personal"),
])
def test_the_policy_refuses(password, reason):
    with pytest.raises(PasswordRejected) as refused:
        check_policy(password, "cora.coach@example.org")
    assert refused.value.reason == reason and refused.value.field == "password"


@pytest.mark.parametrize("password", [TEST_PASSWORD, "ny lång fras om hösten", "Tre-kaffe-på-fikat-7"])
def test_the_policy_accepts_long_uncommon_passwords(password):
    check_policy(password, "cora.coach@example.org")


def test_users_add_refuses_a_weak_password_and_creates_nobody(app, team):
    result = app.test_cli_runner().invoke(args=["users", "add", "weak@example.org", "--role", "auditor",
                                                "--password-stdin"], input="password1234\n")
    assert result.exit_code == 1 and "common" in result.output
    assert db.session.scalar(sa.select(User).where(User.email == "weak@example.org")) is None


def test_a_password_change_refuses_a_weak_password_on_its_field(client, coach, login):
    login(coach)
    old_hash = coach.password_hash
    response = client.post("/account/password", data={"current": TEST_PASSWORD, "password": "qwertyuiop12",
                                                      "repeated": "qwertyuiop12"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'aria-invalid="true"' in page
    assert "vanligaste lösenorden" in page or "enkelt mönster" in page
    db.session.refresh(coach)
    assert coach.password_hash == old_hash


def test_the_two_new_passwords_must_match(client, coach, login):
    login(coach)
    response = client.post("/account/password", data={"current": TEST_PASSWORD, "password": "ny lång fras om hösten",
                                                      "repeated": "ny lång fras om våren"})
    assert response.status_code == 400 and "De två nya lösenorden är olika" in response.get_data(as_text=True)
