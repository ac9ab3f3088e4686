"""What the issue checks on what lands: after `casework gdpr erase`, the database file holds nothing
of the person, and no key still held opens anything of theirs."""

import base64
from pathlib import Path

from casework.crypto import service as crypto
from casework.crypto.models import DataKey
from casework.events.service import append_event
from casework.extensions import db
from casework.participants.service import register_participant
from casework.teams.service import save_team


def disk_bytes(app) -> bytes:
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_the_sqlite_file_holds_nothing_of_an_erased_person(own_app):
    team = save_team("kraften", "Kraften", "Förbundet", {})
    person = register_participant(team, {"gender": "woman", "birth_year": 1990, "personal": {
        "name": "Zelda Raderasson", "personnummer": "19900101-0017", "phone": "070-1234567"}})
    append_event(person, "referral_received", "2021-01-05", {"referrer_org": "fk"}, "Samtal om Zeldas hälsa")
    other = register_participant(team, {"gender": "man", "birth_year": 1985, "personal": {"name": "Kvar Kvarsson"}})
    db.session.commit()
    pid, other_id = person.id, other.id
    key_row = db.session.get(DataKey, db.session.scalar(db.select(DataKey.id).where(DataKey.participant_id == pid)))
    wrapped = bytes(key_row.wrapped_key)
    ciphertexts = [bytes(person.name_enc), bytes(person.personnummer_enc), bytes(person.contact_enc)]
    assert wrapped in disk_bytes(own_app)

    result = own_app.test_cli_runner().invoke(args=["gdpr", "erase", person.ref, "--reason", "Begäran"])
    assert result.exit_code == 0, result.output

    on_disk = disk_bytes(own_app)
    for secret in [wrapped, base64.b64encode(wrapped), *ciphertexts, b"Zelda", b"19900101", b"199001010017", b"900101-0017",
                   "Zeldas hälsa".encode(), b"070-1234567"]:
        assert secret not in on_disk
    db.session.expire_all()
    crypto.forget_data_keys()
    assert db.session.scalar(db.select(DataKey).where(DataKey.participant_id == pid)) is None
    assert db.session.get(type(other), other_id).name == "Kvar Kvarsson"


def test_a_restored_backup_does_not_bring_an_erased_person_back(own_app, tmp_path):
    import shutil

    import pytest

    from casework.errors import KeyUnavailable
    from casework.participants.models import Participant

    team = save_team("kraften", "Kraften", "Förbundet", {})
    person = register_participant(team, {"gender": "woman", "birth_year": 1990, "personal": {"name": "Åter Ställd"}})
    db.session.commit()
    pid, ref = person.id, person.ref
    wrapped = bytes(db.session.scalar(db.select(DataKey.wrapped_key).where(DataKey.participant_id == pid)))
    database = Path(own_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    db.session.remove()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.engine.dispose()
    shutil.copy(database, tmp_path / "backup.sqlite")

    runner = own_app.test_cli_runner()
    assert runner.invoke(args=["gdpr", "erase", ref, "--reason", "Begäran"]).exit_code == 0
    db.session.remove()
    db.engine.dispose()
    for leftover in database.parent.glob(database.name + "-*"):
        leftover.unlink()
    shutil.copy(tmp_path / "backup.sqlite", database)

    crypto.forget_data_keys()
    restored = db.session.get(Participant, pid)
    assert restored.erased_at is None and restored.name_enc is not None
    with pytest.raises(KeyUnavailable):
        _ = restored.name
    result = runner.invoke(args=["gdpr", "replay-erasures"])
    assert result.exit_code == 0 and "Re-applied 1" in result.output
    assert wrapped not in disk_bytes(own_app)
    assert "Re-applied 0" in runner.invoke(args=["gdpr", "replay-erasures"]).output
