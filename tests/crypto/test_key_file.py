"""The key file is made only by `casework keys init`; nothing else starts without it."""

import json
import os
import subprocess
import sys

import pytest

from casework import create_app
from casework.crypto.keyring import (
    KeyFileExists,
    KeyFileMissing,
    add_audit_key_if_missing,
    init_key_file,
    load_keyring,
)
from casework.errors import KeyUnavailable
from casework.extensions import api, db


def mode(path) -> str:
    return oct(path.stat().st_mode & 0o777)


def test_init_makes_a_private_file_with_one_key_of_each_kind_in_a_private_folder(tmp_path):
    path = tmp_path / "new" / "keys" / "master.key"
    ring = init_key_file(path)
    assert mode(path) == "0o600" and mode(path.parent) == "0o700" and mode(path.parent.parent) == "0o700"
    loaded = load_keyring(path)
    assert [k.id for k in loaded.master_keys] == [ring.active_master.id]
    assert loaded.active_blind_index.key == ring.active_blind_index.key
    assert loaded.active_audit.id.startswith("ak-") and len(loaded.active_audit.key) == 32


def test_init_never_replaces_a_key_file(tmp_path):
    path = tmp_path / "master.key"
    first = init_key_file(path).active_master.key
    with pytest.raises(KeyFileExists):
        init_key_file(path)
    assert load_keyring(path).active_master.key == first
    assert list(tmp_path.iterdir()) == [path]


def test_a_missing_key_file_is_an_error_naming_the_variable_and_is_not_made(tmp_path):
    path = tmp_path / "typo" / "master.kye"
    with pytest.raises(KeyFileMissing) as raised:
        load_keyring(path)
    assert "CASEWORK_MASTER_KEY_FILE" in raised.value.message and "casework keys init" in raised.value.message
    assert not path.exists() and not path.parent.exists()


def test_a_key_file_from_before_the_audit_key_gets_one_once(tmp_path):
    path = tmp_path / "master.key"
    ring = init_key_file(path)
    raw = json.loads(path.read_text())
    del raw["audit_keys"]
    path.write_text(json.dumps(raw))
    old = load_keyring(path)
    assert old.audit_keys == []
    added = add_audit_key_if_missing(old)
    assert len(added.audit_keys) == 1
    again = add_audit_key_if_missing(load_keyring(path))
    assert [k.id for k in again.audit_keys] == [k.id for k in added.audit_keys]
    assert [k.key for k in again.master_keys] == [k.key for k in ring.master_keys]
    assert mode(path) == "0o600"


@pytest.fixture
def second_app(tmp_path, monkeypatch):
    """Make apps of their own (a SQLite file, real commits); the global API object is restored."""
    api_state = dict(api.__dict__)
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    made = []

    def make(key_file, database="own.sqlite"):
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / database}",
                          "MASTER_KEY_FILE": str(key_file)})
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    api.__dict__.clear()
    api.__dict__.update(api_state)


def test_the_service_refuses_to_start_without_the_key_file(second_app, tmp_path):
    with pytest.raises(KeyFileMissing, match="CASEWORK_MASTER_KEY_FILE"):
        second_app(tmp_path / "missing.key")
    assert not (tmp_path / "missing.key").exists()


def test_the_service_refuses_a_key_file_that_cannot_unwrap_the_stored_data_keys(second_app, tmp_path):
    from flask_migrate import upgrade

    from casework.participants.service import register_participant
    from casework.teams.service import save_team

    right, wrong = tmp_path / "right.key", tmp_path / "wrong.key"
    init_key_file(right)
    init_key_file(wrong)
    app = second_app(right)
    with app.app_context():
        upgrade()
        team = save_team("t", "T", "F", {})
        register_participant(team, {"gender": "man", "birth_year": 1980, "personal": {"name": "Sam"}})
        db.session.commit()
        db.session.remove()
    with pytest.raises(KeyUnavailable) as raised:
        second_app(wrong)
    master = load_keyring(right).active_master.id
    assert master in raised.value.message and "CASEWORK_MASTER_KEY_FILE" in raised.value.message
    assert load_keyring(right).active_master.key.hex() not in raised.value.message
    assert second_app(right) is not None


def test_a_new_sqlite_file_and_instance_folder_are_private(tmp_path, monkeypatch, second_app):
    key_file = tmp_path / "master.key"
    init_key_file(key_file)
    monkeypatch.setenv("CASEWORK_INSTANCE_PATH", str(tmp_path / "instance"))
    app = second_app(key_file, database="private.sqlite")
    assert mode(tmp_path / "instance") == "0o700" and mode(tmp_path / "private.sqlite") == "0o600"
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        assert mode(tmp_path / "private.sqlite-wal") == "0o600"


def test_the_command_line_needs_the_key_file_except_for_help_init_demo_and_the_schema_upgrade():
    from casework.cli import needs_key_file

    assert not any(needs_key_file(words) for words in (
        [], ["--help"], ["keys", "--help"], ["keys", "rotate", "--help"], ["keys", "init"], ["demo", "--no-serve"],
        ["db", "upgrade"]))
    assert all(needs_key_file(words) for words in (
        ["keys", "rotate"], ["keys", "status"], ["db", "downgrade"], ["run"], ["audit", "verify"], ["routes"]))


def test_without_a_key_file_help_works_and_commands_refuse_naming_the_variable(tmp_path):
    """In fresh processes, as an operator would meet it: nothing is made."""
    key_file = tmp_path / "keys" / "master.key"
    env = {**os.environ, "CASEWORK_INSTANCE_PATH": str(tmp_path / "instance"),
           "CASEWORK_DATABASE_URL": f"sqlite:///{tmp_path / 'instance' / 'casework.sqlite'}",
           "CASEWORK_MASTER_KEY_FILE": str(key_file)}

    def run(*args):
        return subprocess.run([sys.executable, "-c", "from casework.cli import main; main()", *args], env=env,
                              capture_output=True, text=True, timeout=300, check=False)

    helped = run("--help")
    assert helped.returncode == 0 and "keys" in helped.stdout and "Traceback" not in helped.stderr
    refused = run("audit", "verify")
    assert refused.returncode == 1 and "CASEWORK_MASTER_KEY_FILE" in refused.stderr and "keys init" in refused.stderr
    assert "Traceback" not in refused.stderr and not key_file.exists() and not key_file.parent.exists()


@pytest.fixture
def key_file_setting(app, monkeypatch, tmp_path):
    path = tmp_path / "keys" / "master.key"
    monkeypatch.setitem(app.config, "MASTER_KEY_FILE", str(path))
    return path


def test_keys_init_makes_the_file_once(app, key_file_setting):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["keys", "init"])
    assert made.exit_code == 0 and str(key_file_setting) in made.output
    assert mode(key_file_setting) == "0o600" and mode(key_file_setting.parent) == "0o700"
    first = key_file_setting.read_bytes()
    again = runner.invoke(args=["keys", "init"])
    assert again.exit_code == 1 and "already exists" in again.output
    assert key_file_setting.read_bytes() == first


def test_keys_init_refuses_when_the_database_holds_data_keys(app, key_file_setting, participant):
    result = app.test_cli_runner().invoke(args=["keys", "init"])
    assert result.exit_code == 1 and "already holds data keys" in result.output
    assert "CASEWORK_MASTER_KEY_FILE" in result.output
    assert not key_file_setting.exists()
