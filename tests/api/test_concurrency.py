"""Concurrent appends to one participant's log through the API, from threads, on a real database.

The other tests run inside one rolled-back transaction; this one needs committed rows that other
connections see, so it builds a second app on its own database: a SQLite file, and (when the
suite runs on PostgreSQL) a schema of its own in the test database, dropped afterwards.
"""

import os
import re
import threading
import uuid
from collections import Counter

import pytest
import sqlalchemy as sa

from casework import create_app
from casework.auth.service import create_user, issue_token
from casework.events.models import Event
from casework.extensions import api, db
from casework.participants.service import register_participant
from casework.teams.service import save_team

THREADS = 4
APPENDS_EACH = 12


def _backends():
    yield "sqlite"
    if os.environ.get("CASEWORK_TEST_DATABASE_URL", "").startswith("postgres"):
        yield "postgresql"


@pytest.fixture(params=list(_backends()))
def live_app(request, app, tmp_path, monkeypatch, original_session):
    """A second app on its own, committed database; the test session's bound session is set aside."""
    monkeypatch.setattr(db, "session", original_session)
    overrides = {"MASTER_KEY_FILE": app.config["MASTER_KEY_FILE"], "WTF_CSRF_ENABLED": False}
    schema = None
    if request.param == "sqlite":
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'live.sqlite'}"
    else:
        schema = f"concurrency_{uuid.uuid4().hex[:12]}"
        overrides["SQLALCHEMY_DATABASE_URI"] = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://",
                                                      os.environ["CASEWORK_TEST_DATABASE_URL"])
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    api_state = dict(api.__dict__)  # create_app rebinds the global flask-smorest Api to the new app
    live = create_app(overrides)
    with live.app_context():
        if schema:
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        from flask_migrate import upgrade

        upgrade()
    try:
        yield live
    finally:
        with live.app_context():
            db.session.remove()
            if schema:
                with db.engine.begin() as conn:
                    conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
            db.engine.dispose()
        api.__dict__.clear()
        api.__dict__.update(api_state)


def _world(live_app) -> tuple[str, str]:
    """A team, a coach's token and one participant, committed; returns (token, participant id)."""
    with live_app.app_context():
        team = save_team("live-team", "Live Team", "Testförbundet", {})
        coach = create_user({"email": "live@example.org", "role": "coach", "teams": ["live-team"]})
        participant = register_participant(team, {"gender": "man", "birth_year": 1980, "personal": {"name": "Sam"}})
        token = issue_token(coach, scope="write")
        pid = participant.id
        db.session.commit()
    return token, pid


def _in_threads(live_app, token: str, path: str, body, count: int) -> list:
    """POST `count` times from each of THREADS threads at once; the answers, in no order."""
    answers: list = []
    start = threading.Barrier(THREADS)

    def client_thread():
        client = live_app.test_client()
        start.wait()
        for _ in range(count):
            response = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
            answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=client_thread) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_concurrent_appends_to_one_participant_all_succeed_in_order(live_app):
    token, pid = _world(live_app)
    answers = _in_threads(live_app, token, f"/api/v1/participants/{pid}/events",
                          {"type": "activity", "date": "2021-03-01", "data": {"kind": "gym"}}, APPENDS_EACH)
    assert Counter(status for status, _ in answers) == {201: THREADS * APPENDS_EACH}
    with live_app.app_context():
        seqs = db.session.scalars(sa.select(Event.seq).where(Event.participant_id == pid).order_by(Event.seq)).all()
        db.session.remove()
    assert seqs == list(range(1, THREADS * APPENDS_EACH + 1))


def test_concurrent_registrations_in_one_team_get_distinct_refs(live_app):
    token, _ = _world(live_app)
    answers = _in_threads(live_app, token, "/api/v1/teams/live-team/participants",
                          {"gender": "woman", "birth_year": 1990, "anonymous": True,
                           "first_step": {"type": "study_visit", "date": "2021-03-01"}}, 3)
    assert Counter(status for status, _ in answers) == {201: THREADS * 3}
    assert len({body["ref"] for _, body in answers}) == THREADS * 3
