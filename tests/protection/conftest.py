import pytest
from flask_migrate import upgrade

from casework import create_app
from casework.crypto.keyring import init_key_file
from casework.extensions import db


@pytest.fixture(scope="session")
def _close_main_pool(app):
    """A second app takes over the global extensions' references to the main app, which may then
    be collected at the end of the session with pooled connections still open: close them first."""
    yield
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def own_app(tmp_path, monkeypatch, _close_main_pool):
    """A second app on its own SQLite file with real commits (not the rolled-back test session),
    for what must be seen on disk: file bytes after an erasure, interrupted key rotations."""
    init_key_file(tmp_path / "keys" / "master.key")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'own.sqlite'}",
                      "MASTER_KEY_FILE": str(tmp_path / "keys" / "master.key"), "WTF_CSRF_ENABLED": False,
                      "SERVER_NAME": "casework.test"})
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def exited_person(enrolled, record):
    record(enrolled, "exited", "2021-06-01", {"category": "work", "subtype": "unsubsidised"})
    return enrolled


@pytest.fixture(autouse=True)
def _quick_wipe_timeout(app, monkeypatch):
    """Inside the test's outer transaction the wipe can only time out; do not wait 5 s for it."""
    monkeypatch.setitem(app.config, "ERASURE_WIPE_TIMEOUT_MS", 50)
