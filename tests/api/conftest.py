"""Fixtures of the API tests: two teams of one federation, a participant in each, every role."""

import pytest
import sqlalchemy as sa

from casework.events.models import Event
from casework.extensions import db
from casework.participants.models import Participant

API = "/api/v1"


@pytest.fixture
def other_team(make_team):
    return make_team("other-team", "Other Team")


@pytest.fixture
def stranger(make_participant, other_team, record):
    """Someone in another team: never to be shown to the first team's staff."""
    person = make_participant(other_team, "Olof Främling", "19851010-1234", birth_year=1985)
    record(person, "referral_received", "2021-01-05", {"referrer_org": "af"})
    return person


@pytest.fixture
def users(make_user, team, other_team):
    return {
        "coach_own": make_user("coach", [team]),
        "coach_other": make_user("coach", [other_team]),
        "team_lead": make_user("team_lead", [team]),
        "referrer": make_user("referrer"),
        "analyst": make_user("analyst", federation="Testförbundet"),
        "auditor": make_user("auditor"),
        "admin": make_user("admin"),
    }


@pytest.fixture
def counts():
    """How many participants and events exist: to show that a refused call wrote nothing."""

    def count() -> tuple[int, int]:
        return (db.session.scalar(sa.select(sa.func.count()).select_from(Participant)),
                db.session.scalar(sa.select(sa.func.count()).select_from(Event)))

    return count


@pytest.fixture
def bearer(bearer):
    """As the shared fixture, and commits what the test set up so far (a refused call rolls back
    to the last commit; the test's outer transaction still undoes everything afterwards)."""

    def headers(user) -> dict:
        result = bearer(user)
        db.session.commit()
        return result

    return headers


_ORIGINAL_SESSION = db.session  # imported before the autouse `session` fixture binds it to the test's transaction


@pytest.fixture
def original_session():
    """Flask-SQLAlchemy's own session, for a test that needs real commits on another database."""
    return _ORIGINAL_SESSION
