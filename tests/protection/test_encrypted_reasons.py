"""The reasons of erasures and legal holds: encrypted with the system key, readable after the
participant's own key is destroyed, re-wrapped by a master-key rotation, moved by migration 0009."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from test_migrations import _tables, scratch_database  # noqa: F401  (the fixture)

from casework.crypto import service as crypto
from casework.crypto.models import SystemKey
from casework.crypto.rotation import rotate_master_key
from casework.errors import KeyUnavailable
from casework.extensions import db
from casework.protection.erasure import erase_participant
from casework.protection.models import ErasureRecord, LegalHold
from casework.protection.retention import release_legal_hold, set_legal_hold


@pytest.fixture
def lead(make_user, team):
    return make_user("team_lead", [team])


def test_both_reasons_are_stored_only_encrypted_and_outlive_the_erasure(exited_person, lead):
    set_legal_hold(exited_person, "Klagomål till IVO", lead)
    release_legal_hold(exited_person, lead)
    erase_participant(exited_person, "Begäran från den registrerade", lead)
    crypto.forget_data_keys()
    hold = db.session.scalar(sa.select(LegalHold))
    record = db.session.scalar(sa.select(ErasureRecord))
    assert b"IVO" not in hold.reason_enc and b"registrerade" not in record.reason_enc
    assert hold.reason == "Klagomål till IVO" and record.reason == "Begäran från den registrerade"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SystemKey)) == 1


def test_a_reason_moved_to_another_row_does_not_decrypt(participant, make_participant, team, lead):
    other = make_participant(team, "Bertil Annan")
    first = set_legal_hold(participant, "Tvist", lead)
    second = set_legal_hold(other, "Annat", lead)
    second.reason_enc = first.reason_enc
    with pytest.raises(KeyUnavailable):
        second.reason  # noqa: B018


def test_a_master_key_rotation_rewraps_the_system_key(participant, lead):
    hold = set_legal_hold(participant, "Tvist", lead)
    db.session.commit()
    rotate_master_key(db.session.commit)
    key = db.session.scalar(sa.select(SystemKey))
    assert key.master_key_id == crypto.keyring().active_master.id
    crypto.forget_data_keys()
    assert hold.reason == "Tvist"


def test_migration_0009_moves_clear_reasons_into_the_encrypted_column_and_back(scratch_database, tmp_path):  # noqa: F811
    url, schema = scratch_database
    env = {**os.environ, "CASEWORK_DATABASE_URL": url, "CASEWORK_INSTANCE_PATH": str(tmp_path / "instance")}

    def run(*args: str) -> str:
        result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=120,
                                check=False)
        assert result.returncode == 0, result.stderr
        return result.stdout

    cli = ["-c", "from casework.cli import main; main()"]
    run(*cli, "keys", "init")
    run(*cli, "db", "upgrade", "0008_keyed_access_log")
    run("-c", """
from casework import create_app
from casework.errors import KeyUnavailable
from casework.extensions import db
import sqlalchemy as sa
with create_app().app_context():
    db.session.execute(sa.text("INSERT INTO erasure_ledger (participant_id, erased_at, kind, reason, forced) "
                               "VALUES ('p-1', CURRENT_TIMESTAMP, 'request', 'Klar text', false)"))
    db.session.commit()
""")
    run(*cli, "db", "upgrade")
    read = """
from casework import create_app
from casework.errors import KeyUnavailable
from casework.extensions import db
from casework.protection.models import ErasureRecord
import sqlalchemy as sa
with create_app().app_context():
    record = db.session.scalar(sa.select(ErasureRecord))
    print(record.reason, b"Klar" in record.reason_enc)
"""
    assert run("-c", read).split() == ["Klar", "text", "False"]
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        columns = {c["name"] for c in sa.inspect(engine).get_columns("erasure_ledger", schema=schema)}
        assert "reason" not in columns and "reason_enc" in columns
        run(*cli, "db", "downgrade", "0008_keyed_access_log")
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT reason FROM erasure_ledger")).scalar() == "Klar text"
        assert "system_keys" not in _tables(url, schema)
    finally:
        engine.dispose()
