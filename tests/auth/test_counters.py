"""The `casework+db://` storage of the rate-limit counters: fixed windows, atomic hits, shared by
every process on the database, old windows purged."""

import os
import re
import threading
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from casework import create_app
from casework.auth import counters
from casework.auth import service as auth_service
from casework.extensions import api, db
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def storage():
    return counters.DatabaseStorage("casework+db://")


def _rows() -> dict:
    with counters._engine().connect() as conn:
        return dict(conn.execute(sa.select(counters.table.c.key, counters.table.c.count)).all())


def test_a_window_counts_until_it_ends_then_starts_again(storage, time_machine):
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get("other") == 0
    started = time_machine.now().timestamp()
    assert started + 59 < storage.get_expiry("k") <= started + 60
    time_machine.move(seconds=61)
    assert storage.get("k") == 0
    assert storage.incr("k", 60, amount=2) == 2
    assert storage.get_expiry("k") > started + 120


def test_clear_and_reset(storage):
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert storage.get("a") == 0 and storage.get("b") == 1
    assert storage.reset() == 1 and storage.check()


def test_rows_of_ended_windows_are_purged_by_a_later_hit(storage, time_machine):
    storage.incr("short", 30)
    storage.incr("long", 3600)
    time_machine.move(seconds=90)
    storage.incr("new", 60)
    assert set(_rows()) == {"long", "new"}


def test_concurrent_hits_lose_no_increment(app, storage):
    """Eight threads, each on a connection of its own (as eight workers would be), hit one key."""
    results, start = [], threading.Barrier(8)

    def hits():
        with app.app_context():
            start.wait()
            results.extend(storage.incr("shared", 600) for _ in range(25))

    threads = [threading.Thread(target=hits) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == list(range(1, 201))
    assert storage.get("shared") == 200


@pytest.fixture
def two_apps(app, tmp_path, monkeypatch):
    """Two app instances (as two gunicorn workers) on one committed database of their own: a
    SQLite file, or a schema of its own in the suite's PostgreSQL database."""
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    overrides = {"MASTER_KEY_FILE": app.config["MASTER_KEY_FILE"], "WTF_CSRF_ENABLED": False,
                 "LOGIN_ATTEMPTS": 4}
    schema = None
    url = os.environ.get("CASEWORK_TEST_DATABASE_URL", "")
    if url.startswith("postgres"):
        schema = f"limits_{uuid.uuid4().hex[:12]}"
        overrides["SQLALCHEMY_DATABASE_URI"] = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-csearch_path={schema}"}}
    else:
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    api_state = dict(api.__dict__)  # create_app rebinds the global flask-smorest Api to the new app
    first, second = create_app(overrides), create_app(overrides)
    with first.app_context():
        if schema:
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        upgrade()
        auth_service.create_user({"email": "shared@example.org", "role": "admin", "password": TEST_PASSWORD})
        db.session.commit()
    try:
        yield first, second
    finally:
        for each in (first, second):
            with each.app_context():
                db.session.remove()
                if schema and each is first:
                    with db.engine.begin() as conn:
                        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
                db.engine.dispose()
        api.__dict__.clear()
        api.__dict__.update(api_state)


def test_two_app_instances_on_one_database_share_the_count(two_apps):
    first, second = two_apps

    def sign_in(instance, password):
        return instance.test_client().post("/login", data={"email": "shared@example.org", "password": password})

    assert [sign_in(first, "wrong").status_code, sign_in(second, "wrong").status_code,
            sign_in(first, "wrong").status_code, sign_in(second, "wrong").status_code] == [400] * 4
    assert sign_in(first, TEST_PASSWORD).status_code == 429
    assert sign_in(second, TEST_PASSWORD).status_code == 429
