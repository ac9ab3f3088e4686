"""Fixtures of the sign-in tests: a clock that moves without sleeping, a second browser, the
password step alone, and an enrolled user with the recovery codes shown at enrolment."""

import re
from datetime import timedelta

import pytest

from casework.auth import clock
from tests.conftest import TEST_PASSWORD


class MovableClock:
    def __init__(self):
        self.offset = timedelta()

    def now(self):
        return clock.utcnow() + self.offset

    def move(self, **delta):
        self.offset += timedelta(**delta)


@pytest.fixture
def time_machine(monkeypatch):
    machine = MovableClock()
    monkeypatch.setattr(clock, "now", machine.now)
    return machine


@pytest.fixture
def other_client(app, client):
    """A second browser (of the same test client class as `client`)."""
    return app.test_client()


@pytest.fixture
def password_step(client):
    def step(user, browser=None, password=TEST_PASSWORD):
        return (browser or client).post("/login", data={"email": user.email, "password": password})

    return step


@pytest.fixture
def recovery_codes(client, coach, password_step, code):
    """The coach enrolled through the pages; the ten codes as the page showed them; signed out."""
    password_step(coach)
    client.get("/login/enrol")
    page = client.post("/login/enrol", data={"code": code(coach)}).get_data(as_text=True)
    client.post("/logout")
    return re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)
