"""Fixtures: the app once per session on a migrated database, each test in a rolled-back transaction.

The database is SQLite in a temporary folder unless CASEWORK_TEST_DATABASE_URL names another
(the CI runs the suite on PostgreSQL this way too).
"""

import datetime as dt
import itertools
import json
import logging
import os
import re

import pyotp
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSqlaSession

from casework import create_app
from casework.audit import access_log
from casework.audit.security import logger
from casework.auth import clock, counters, passwords, throttle
from casework.auth import service as auth_service
from casework.auth.models import User
from casework.crypto.keyring import init_key_file
from casework.events.service import append_event
from casework.extensions import db
from casework.participants.service import register_participant
from casework.teams.service import save_team

TEST_PASSWORD = "correct horse battery"


def _database_url(tmp_path) -> str:
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def _empty_database(url: str) -> None:
    """Before the app starts: it refuses to when the database holds data keys of another key file."""
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()


def _migrate(app) -> None:
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    os.environ["CASEWORK_INSTANCE_PATH"] = str(instance)
    url = _database_url(instance)
    _empty_database(url)
    init_key_file(instance / "master.key")
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "MASTER_KEY_FILE": str(instance / "master.key"),
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "casework.test",
    })
    passwords.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    _migrate(app)
    counters_engine = _counters_apart(app, instance)
    yield app
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
    if counters_engine is not None:
        counters_engine.dispose()


def _counters_apart(app, instance):
    """On SQLite the rate-limit counters go to a file of their own: every test holds the main
    file's write lock until it ends, and the counters are written outside the test's transaction
    (as outside a request's). On PostgreSQL they stay in the suite's database, as in production."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return None
    engine = sa.create_engine(f"sqlite:///{instance / 'rate_limits.sqlite'}")
    counters.table.create(engine)
    counters.use_engine(app, engine)
    return engine


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    """Every test starts with no counts (they are committed apart from the test's transaction,
    so the rollback at its end does not clear them)."""
    yield
    with app.app_context():
        throttle.limiter.storage.reset()


class _ConnectionBoundSession(FlaskSqlaSession):
    """Flask-SQLAlchemy's session picks the engine for every query and so would ignore the
    test's connection; this one stays on the connection that holds the outer transaction."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind if bind is not None else self.bind


class _Client(FlaskClient):
    """The test holds one app context for its whole run, so `g` outlives a request; forget the
    signed-in user between requests as a real server would."""

    def open(self, *args, **kwargs):
        from flask import g

        g.pop("_login_user", None)
        g.pop("user_session", None)
        return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def session(app, monkeypatch, tmp_path):
    """Every test runs inside one outer transaction that is rolled back at the end.

    Commits made by the code under test only release a SAVEPOINT inside it; so do the access
    log's own transactions, which use the same session after the request's. Each test has its
    own anchor file, since its entries are rolled back with it.
    """
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_FILE", str(tmp_path / "audit-anchor.jsonl"))
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        scoped = db._make_scoped_session({"bind": connection, "join_transaction_mode": "create_savepoint",
                                           "class_": _ConnectionBoundSession})
        monkeypatch.setattr(db, "session", scoped)
        try:
            yield scoped
        finally:
            access_log.discard_pending()
            scoped.remove()
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    app.test_client_class = _Client
    return app.test_client()


_counter = itertools.count(1)


@pytest.fixture
def make_team():
    def make(slug=None, name=None, federation="Testförbundet", **settings):
        number = next(_counter)
        return save_team(slug or f"team-{number}", name or f"Team {number}", federation, settings)

    return make


@pytest.fixture
def team(make_team):
    return make_team("kraften-test", "Kraften Test", trial_months=2)


@pytest.fixture
def make_user():
    def make(role="coach", teams=(), email=None, federation=None, name=""):
        number = next(_counter)
        return auth_service.create_user({
            "email": email or f"{role}{number}@example.org", "role": role, "name": name,
            "teams": [t.slug for t in teams], "federation": federation, "password": TEST_PASSWORD,
        })

    return make


@pytest.fixture
def coach(make_user, team):
    return make_user("coach", [team], name="Cora Coach")


@pytest.fixture
def make_participant():
    def make(team, name="Testa Person", personnummer=None, gender="woman", birth_year=1990, **facts):
        personal = {"name": name} if name else {}
        if personnummer:
            personal["personnummer"] = personnummer
        return register_participant(team, {"gender": gender, "birth_year": birth_year, "personal": personal,
                                           **facts})

    return make


@pytest.fixture
def participant(make_participant, team):
    return make_participant(team, "Anna Exempel", "19900101-0017")


@pytest.fixture
def record():
    """Append an event as a coach would; dates may be given as text."""

    def add(participant, type_name, day, data=None, note=None, user=None):
        return append_event(participant, type_name, day, data or {}, note, user=user)

    return add


@pytest.fixture
def enrolled(participant, record):
    record(participant, "referral_received", "2021-01-05", {"referrer_org": "fk", "income_sources": ["sickness_benefit"]})
    record(participant, "enrolled", "2021-02-01", {"consents": ["documentation", "information_sharing", "statistics"]})
    return participant


def totp_code(user: User) -> str:
    """The code the user's authenticator shows now, or the next step's if this step's code was
    used already (an app would show it a few seconds later; the server accepts one step ahead)."""
    totp = pyotp.TOTP(user.totp_secret)
    now_step = totp.timecode(clock.now())
    step = max(now_step, (user.totp_last_step or 0) + 1)
    assert step <= now_step + 1, "signed in more than twice in one 30-second step"
    return totp.generate_otp(step)


@pytest.fixture
def code():
    return totp_code


@pytest.fixture
def login(client):
    """Sign in as a person would: password, then the first-time set-up of the authenticator (or
    its code when set up already)."""

    def sign_in(user: User):
        response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        location = response.headers["Location"]
        if location.endswith("/login/enrol"):
            assert client.get("/login/enrol").status_code == 200
            response = client.post("/login/enrol", data={"code": totp_code(user)})
            assert response.status_code == 200 and "reservkoder" in response.get_data(as_text=True)
        elif location.endswith("/login/code"):
            response = client.post("/login/code", data={"code": totp_code(user)})
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in


@pytest.fixture
def bearer():
    def headers(user: User) -> dict:
        return {"Authorization": f"Bearer {auth_service.issue_token(user, scope='write')}"}

    return headers


@pytest.fixture
def today():
    return dt.date.today()


@pytest.fixture
def security_log(caplog, monkeypatch):
    """The security events logged during the test, each line parsed; the raw text is `.text`."""
    monkeypatch.setattr(logger, "propagate", True)
    caplog.set_level(logging.INFO, logger=logger.name)

    class Log:
        @property
        def lines(self) -> list[dict]:
            return [json.loads(r.getMessage()) for r in caplog.records if r.name == logger.name]

        @property
        def text(self) -> str:
            return "\n".join(r.getMessage() for r in caplog.records if r.name == logger.name)

        def events(self, name: str) -> list[dict]:
            return [line for line in self.lines if line["event"] == name]

    return Log()
