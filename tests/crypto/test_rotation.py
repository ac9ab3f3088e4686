import fcntl
import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from casework.crypto import service as crypto
from casework.crypto.models import DataKey
from casework.crypto.rotation import BLIND_INDEX_REBUILD, purge_retired, rotate_blind_index_key, rotate_master_key
from casework.errors import Conflict, KeyUnavailable
from casework.extensions import db
from casework.participants.service import find_by_personnummer, personal_data

NUMBERS = ["19900101-0017", "19900101-0025", "19900101-0033", "19900101-0041", "19900101-0058"]


class Interrupted(Exception):
    pass


@pytest.fixture
def people(make_participant, team):
    return [make_participant(team, f"Person {i}", number) for i, number in enumerate(NUMBERS)]


def readable(people, coach):
    crypto.forget_data_keys()
    return [personal_data(p, coach, "case_work").name for p in people]


def interrupt_after(calls: int):
    count = {"n": 0}

    def commit():
        db.session.commit()
        count["n"] += 1
        if count["n"] == calls:
            raise Interrupted()

    return commit


def wrapping_keys():
    return set(db.session.scalars(sa.select(DataKey.master_key_id)))


def test_rotation_rewraps_every_data_key_and_reencrypts_nothing(people, coach):
    old = crypto.keyring().active_master.id
    ciphertexts = [bytes(p.name_enc) for p in people]
    result = rotate_master_key(db.session.commit, batch_size=2)
    assert not result.resumed and result.retired == [old] and result.rows >= len(people)
    assert wrapping_keys() == {result.key_id}
    assert [bytes(p.name_enc) for p in people] == ciphertexts
    assert readable(people, coach) == [f"Person {i}" for i in range(5)]
    with pytest.raises(KeyUnavailable):
        crypto.keyring().master_key(old)


def test_an_interrupted_rotation_stays_readable_and_a_second_run_completes_it(people, coach):
    before = len(crypto.keyring().master_keys)
    with pytest.raises(Interrupted):
        rotate_master_key(interrupt_after(1), batch_size=2)
    ring = crypto.reload_keyring()
    assert [k.status for k in ring.master_keys[-2:]] == ["previous", "active"]
    assert len(wrapping_keys()) == 2
    assert readable(people, coach) == [f"Person {i}" for i in range(5)]
    result = rotate_master_key(db.session.commit, batch_size=2)
    assert result.resumed and len(crypto.keyring().master_keys) == before + 1
    assert wrapping_keys() == {result.key_id}
    assert readable(people, coach) == [f"Person {i}" for i in range(5)]


def test_a_concurrent_rotation_is_refused_and_changes_nothing(people):
    path = crypto.keyring().path
    before = path.read_bytes()
    fd = os.open(path.with_name(path.name + ".rotation.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(Conflict, match="Another key rotation"):
            rotate_master_key(db.session.commit)
        with pytest.raises(Conflict):
            rotate_blind_index_key(db.session.commit)
    finally:
        os.close(fd)
    assert path.read_bytes() == before
    assert wrapping_keys() == {crypto.keyring().active_master.id}


def test_the_blind_index_key_rotates_and_lookups_work_throughout(people, team):
    old_index = people[0].pnr_index
    with pytest.raises(Interrupted):
        rotate_blind_index_key(interrupt_after(1), batch_size=2)
    assert all(find_by_personnummer(n.replace("-", ""), [team.id]) == [p] for n, p in zip(NUMBERS, people, strict=True))
    result = rotate_blind_index_key(db.session.commit, batch_size=2)
    assert result.resumed and result.rows >= len(people)
    assert people[0].pnr_index != old_index
    assert len(crypto.keyring().usable_blind_index_keys) == 1
    assert all(find_by_personnummer(n.replace("-", ""), [team.id]) == [p] for n, p in zip(NUMBERS, people, strict=True))


def test_without_a_registered_index_the_blind_index_key_is_left_alone(app, people, monkeypatch):
    """Crypto keeps no index of its own: rotating with nothing to rebuild would strand every look-up."""
    monkeypatch.delitem(app.extensions, BLIND_INDEX_REBUILD)
    path = crypto.keyring().path
    before = path.read_bytes()
    with pytest.raises(Conflict, match="No blind index"):
        rotate_blind_index_key(db.session.commit)
    assert path.read_bytes() == before


def test_purging_a_retired_key_destroys_its_material(people, coach):
    result = rotate_master_key(db.session.commit)
    purged = purge_retired(datetime.now(UTC) + timedelta(seconds=5))
    assert set(result.retired) <= set(purged)
    ring = crypto.reload_keyring()
    assert all(not k.key for k in ring.master_keys if k.id in purged)
    assert readable(people, coach)[0] == "Person 0"


def test_cli_rotates_and_reports(app, people):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["keys", "rotate", "--batch-size", "3"])
    assert result.exit_code == 0 and "Rotated the master key" in result.output, result.output
    status = runner.invoke(args=["keys", "status"])
    assert f"{crypto.keyring().active_master.id} active" in status.output
    assert "key\": " not in status.output
    result = runner.invoke(args=["keys", "rotate", "--blind-index"])
    assert result.exit_code == 0 and "blind-index" in result.output
