"""The access log's keyed chain and its anchor file: `casework audit verify` finds every change."""

import datetime as dt
import hashlib
import json
import os

import pytest
import sqlalchemy as sa

from casework.audit import anchor
from casework.audit.access_log import log_access, write_pending
from casework.audit.chain import GENESIS, stamp, unkeyed_hash
from casework.audit.models import AccessLogEntry
from casework.audit.verification import verify_chain
from casework.crypto import service as crypto
from casework.extensions import db
from casework.participants.service import personal_data


def entries() -> list[AccessLogEntry]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AccessLogEntry).order_by(AccessLogEntry.id)))


def verify_cli(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


@pytest.fixture
def logged(participant, coach, make_participant, team):
    """Four entries, written in three transactions (so three anchors)."""
    other = make_participant(team, "Bertil Annan")
    personal_data(participant, coach, "case_work")
    write_pending()
    log_access(coach, [participant.id, other.id], "list")
    write_pending()
    personal_data(other, coach, "case_work")
    write_pending()
    return entries()


def test_an_intact_chain_verifies_and_is_anchored(logged, app):
    assert [e.seq for e in logged] == [1, 2, 3, 4]
    assert {e.key_id for e in logged} == {crypto.keyring().active_audit.id}
    result = verify_chain()
    assert result.ok and result.checked == len(logged) == 4
    cli = verify_cli(app)
    assert cli.exit_code == 0 and "4 entries" in cli.output and f"anchored at entry {logged[-1].id}" in cli.output
    path = anchor.anchor_path()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert [(a.id, a.hash, a.count) for a in anchor.read_anchors()] == [(logged[-1].id, logged[-1].hash, 4)]


def test_every_write_appends_the_head_to_the_anchor_file(logged):
    assert [(a.id, a.hash, a.count) for a in anchor.read_anchors()] == [
        (logged[0].id, logged[0].hash, 1), (logged[2].id, logged[2].hash, 3), (logged[3].id, logged[3].hash, 4)]


def test_the_hash_is_an_hmac_under_the_audit_key_not_a_plain_digest(logged):
    first = logged[0]
    plain = unkeyed_hash(GENESIS, first.at, first.user_id, first.participant_id, first.route, first.purpose)
    assert first.hash != plain and len(first.hash) == 64


@pytest.mark.parametrize("column,value", [
    ("user_id", None), ("participant_id", "00000000-0000-0000-0000-000000000000"), ("route", "other"),
    ("purpose", "curiosity"), ("at", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)), ("prev_hash", "f" * 64),
    ("hash", "e" * 64), ("seq", 7),
])
@pytest.mark.parametrize("position", [0, 1, 3])
def test_editing_one_row_by_sql_fails(logged, app, column, value, position):
    target = logged[position]
    db.session.execute(sa.update(AccessLogEntry).where(AccessLogEntry.id == target.id).values({column: value}))
    result = verify_chain()
    assert not result.ok
    assert result.broken_id in (target.id, logged[min(position + 1, 3)].id)
    cli = verify_cli(app)
    assert cli.exit_code == 1 and f"entry {result.broken_id}" in cli.output and "not intact" in cli.output


def test_deleting_a_middle_row_fails(logged, app):
    db.session.execute(sa.delete(AccessLogEntry).where(AccessLogEntry.id == logged[1].id))
    result = verify_chain()
    assert result.broken_id == logged[2].id and "does not link" in result.problem
    assert verify_cli(app).exit_code == 1


@pytest.mark.parametrize("kept", [3, 2, 0])
def test_deleting_the_last_rows_fails_because_the_anchor_says_there_were_more(logged, app, kept):
    db.session.execute(sa.delete(AccessLogEntry).where(AccessLogEntry.id > (logged[kept - 1].id if kept else 0)))
    result = verify_chain()
    assert not result.ok and result.broken_id == logged[-1].id
    assert "anchor file recorded 4 entries" in result.problem and "newest entries were removed" in result.problem
    cli = verify_cli(app)
    assert cli.exit_code == 1 and "newest entries were removed" in cli.output


def test_truncation_stays_visible_after_new_entries_are_written(logged, participant, coach):
    db.session.execute(sa.delete(AccessLogEntry).where(AccessLogEntry.id >= logged[2].id))
    log_access(coach, [participant.id], "later")
    write_pending()
    result = verify_chain()
    assert not result.ok and "anchor file" in result.problem


def _recompute(rows, *, keyed: bool) -> None:
    """What an attacker with the database but not the key file can do: rewrite every hash."""
    prev = GENESIS
    for row in rows:
        canonical = [prev, row.seq, stamp(row.at), row.user_id, row.participant_id, row.route, row.purpose]
        if not keyed:
            canonical.pop(1)
        digest = hashlib.sha256(json.dumps(canonical, separators=(",", ":")).encode()).hexdigest()
        values = {"prev_hash": prev, "hash": digest} | ({} if keyed else {"seq": None, "key_id": None})
        db.session.execute(sa.update(AccessLogEntry).where(AccessLogEntry.id == row.id).values(values))
        prev = digest


def test_a_chain_recomputed_with_sha256_fails(logged, app):
    _recompute(logged, keyed=True)
    result = verify_chain()
    assert result.broken_id == logged[0].id and "without the audit key" in result.problem
    assert verify_cli(app).exit_code == 1


def test_a_chain_rewritten_as_unkeyed_entries_fails_at_the_anchor(logged, app):
    _recompute(logged, keyed=False)
    result = verify_chain()
    assert not result.ok and result.broken_id == logged[0].id and "anchor file" in result.problem
    cli = verify_cli(app)
    assert cli.exit_code == 1 and "chain was rewritten" in cli.output


def test_an_entry_signed_with_an_unknown_key_fails(logged):
    db.session.execute(sa.update(AccessLogEntry).where(AccessLogEntry.id == logged[2].id).values(key_id="ak-unknown"))
    result = verify_chain()
    assert result.broken_id == logged[2].id and "ak-unknown" in result.problem


def test_keyed_entries_without_an_anchor_file_fail(logged, app):
    anchor.anchor_path().unlink()
    result = verify_chain()
    assert not result.ok and "no anchor file" in result.problem and anchor.ENV_VARIABLE in result.problem
    assert verify_cli(app).exit_code == 1
    assert not anchor.anchor_path().exists()


def test_an_unreadable_anchor_file_fails(logged):
    with anchor.anchor_path().open("a") as handle:
        handle.write("not json\n")
    result = verify_chain()
    assert not result.ok and "line 4 is not an anchor" in result.problem


def test_a_clean_empty_log_passes(app):
    result = verify_chain()
    assert result.ok and result.checked == 0 and not anchor.anchor_path().exists()


def test_the_anchor_file_defaults_to_beside_the_key_file(app, monkeypatch):
    monkeypatch.setitem(app.config, "AUDIT_ANCHOR_FILE", None)
    monkeypatch.delenv(anchor.ENV_VARIABLE, raising=False)
    assert anchor.anchor_path() == crypto.keyring().path.with_name("audit-anchor.jsonl")
    monkeypatch.setenv(anchor.ENV_VARIABLE, "/srv/elsewhere.jsonl")
    assert str(anchor.anchor_path()) == "/srv/elsewhere.jsonl"


def _unkeyed(participant_ids: list[str]) -> None:
    """Entries as the version before the keyed chain wrote them."""
    prev, at = GENESIS, dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    for pid in participant_ids:
        digest = unkeyed_hash(prev, at, None, pid, "cli", "old")
        db.session.execute(sa.insert(AccessLogEntry).values(at=at, user_id=None, participant_id=pid, route="cli",
                                                            purpose="old", prev_hash=prev, hash=digest))
        prev = digest


def test_unkeyed_entries_from_before_the_upgrade_verify_and_are_anchored_once(participant, app):
    _unkeyed([participant.id] * 3)
    assert verify_chain().ok and verify_chain().checked == 3
    assert [a.count for a in anchor.read_anchors()] == [3]


def test_the_first_keyed_entry_links_to_the_last_unkeyed_one(participant, coach, app):
    _unkeyed([participant.id] * 3)
    log_access(coach, [participant.id], "case_work")
    write_pending()
    rows = entries()
    assert rows[3].prev_hash == rows[2].hash and rows[3].seq == 4 and rows[2].key_id is None
    assert verify_chain().ok
    db.session.execute(sa.update(AccessLogEntry).where(AccessLogEntry.id == rows[1].id).values(purpose="other"))
    _recompute_unkeyed_tail(rows[:3])
    result = verify_chain()
    assert result.broken_id == rows[3].id and "does not link" in result.problem


def _recompute_unkeyed_tail(rows) -> None:
    prev = GENESIS
    for row in entries()[:len(rows)]:
        digest = unkeyed_hash(prev, row.at, row.user_id, row.participant_id, row.route, row.purpose)
        db.session.execute(sa.update(AccessLogEntry).where(AccessLogEntry.id == row.id)
                           .values(prev_hash=prev, hash=digest))
        prev = digest


def test_an_unkeyed_entry_after_keyed_ones_fails(logged, participant):
    last = logged[-1]
    db.session.execute(sa.insert(AccessLogEntry).values(
        at=last.at, user_id=None, participant_id=participant.id, route="cli", purpose="x", prev_hash=last.hash,
        hash=unkeyed_hash(last.hash, last.at, None, participant.id, "cli", "x")))
    result = verify_chain()
    assert not result.ok and "unkeyed but follows keyed entries" in result.problem


def test_verification_keeps_anchors_written_meanwhile(logged):
    result = verify_chain()
    later = anchor.Anchor(logged[-1].id + 10, "a" * 64, 9, anchor.now())
    with anchor.anchor_path().open("a") as handle:
        handle.write(later.line())
    anchor.replace_with(anchor.Anchor(result.head.id, result.head.hash, result.head.count, anchor.now()))
    assert [a.count for a in anchor.read_anchors()] == [4, 9]
    assert oct(os.stat(anchor.anchor_path()).st_mode & 0o777) == "0o600"


def test_after_a_restore_the_anchor_is_reset_and_the_old_file_kept(logged, app):
    db.session.execute(sa.delete(AccessLogEntry).where(AccessLogEntry.id == logged[-1].id))
    assert verify_cli(app).exit_code == 1
    cli = app.test_cli_runner().invoke(args=["audit", "verify", "--reset-anchor"])
    assert cli.exit_code == 0 and "3 entries" in cli.output
    kept = list(anchor.anchor_path().parent.glob("audit-anchor.jsonl.set-aside-*"))
    assert len(kept) == 1 and '"count":4' in kept[0].read_text()
    assert verify_cli(app).exit_code == 0


def test_a_reset_still_refuses_a_broken_chain(logged, app):
    db.session.execute(sa.delete(AccessLogEntry).where(AccessLogEntry.id == logged[1].id))
    cli = app.test_cli_runner().invoke(args=["audit", "verify", "--reset-anchor"])
    assert cli.exit_code == 1 and "does not link" in cli.output
    assert not list(anchor.anchor_path().parent.glob("audit-anchor.jsonl.set-aside-*"))
