import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from casework.auth.service import get_user
from casework.events.models import Event
from casework.extensions import db
from tests.exchange.conftest import first_line, on_postgresql, with_line


def event_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event))


def test_cli_import_prints_a_summary_and_adds_nothing_twice(app, example_lines, tmp_path):
    path = tmp_path / "example.jsonl"
    path.write_text("\n".join(example_lines) + "\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    participants = sum('"record": "participant"' in line for line in example_lines)
    assert f"participants: {participants} added" in result.stdout
    events = event_count()
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0
    assert "events: 0 added" in result.stdout
    assert event_count() == events


def test_cli_import_prints_each_bad_line_and_writes_nothing(app, example_lines, example_records, tmp_path):
    exited = first_line(example_records, record="event", type="exited")
    enrolled = first_line(example_records, record="event", type="enrolled")
    lines = with_line(example_lines, exited, {**example_records[exited - 1], "data": {}})
    lines = with_line(lines, enrolled, {**example_records[enrolled - 1], "date": "2020-13-40"})
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = event_count()
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"line {enrolled}: date: Not a date (YYYY-MM-DD).",
                                          f"line {exited}: data.category: Missing data for required field."]
    assert event_count() == before


def clear_texts(example_records) -> set[str]:
    """Every name, personnummer (in its usual spellings), phone number and note of the example."""
    texts = set()
    for record in example_records:
        for key, value in record.get("personal", {}).items():
            texts.add(value)
            if key == "personnummer":
                digits = value.replace("-", "")
                texts.update({digits, digits[2:], value[2:]})
            if key == "name":
                texts.update(part for part in value.split() if len(part) >= 4)
        if record.get("note"):
            texts.add(record["note"])
    return texts


@pytest.mark.skipif(on_postgresql(), reason="the raw database file exists only on SQLite")
def test_fresh_sqlite_import_has_no_clear_text_and_export_import_export_round_trips(
        make_casework_process, example_records, tmp_path):
    from casework.exchange.demo import DEFAULT_EXAMPLE

    first, second = make_casework_process("first"), make_casework_process("second")
    exports = [tmp_path / "first.jsonl", tmp_path / "second.jsonl"]
    assert first("db", "upgrade").returncode == 0
    result = first("import", str(DEFAULT_EXAMPLE))
    assert result.returncode == 0, result.stderr
    raw = b"".join(p.read_bytes() for p in first.instance.glob("casework.sqlite*"))
    assert b"kraften-hedemora" in raw  # the team and the facts are there, in clear
    assert sorted(t for t in clear_texts(example_records) if t.encode() in raw) == []

    assert first("export", "--team", "kraften-hedemora", "--output", str(exports[0])).returncode == 0
    assert second("db", "upgrade").returncode == 0
    result = second("import", str(exports[0]))
    assert result.returncode == 0, result.stderr
    assert second("export", "--team", "kraften-hedemora", "--output", str(exports[1])).returncode == 0
    assert exports[0].read_bytes() == exports[1].read_bytes()
    assert len(exports[0].read_text(encoding="utf-8").splitlines()) == len(example_records)
    exported = exports[0].read_bytes()
    assert all(r["personal"]["name"].encode() in exported for r in example_records if r.get("personal"))


@pytest.mark.skipif(on_postgresql(), reason="the demo runs on SQLite in the instance folder")
def test_demo_prepares_an_instance_and_is_idempotent(make_casework_process, example_records):
    casework_process = make_casework_process("first", key_file=False)
    first = casework_process("demo", "--no-serve", "--port", "5099")
    assert first.returncode == 0, first.stderr
    assert f"Created the key file {casework_process.key_file}" in first.stdout
    assert oct(casework_process.key_file.stat().st_mode & 0o777) == "0o600"
    assert "http://127.0.0.1:5099/" in first.stdout
    participants = sum(r["record"] == "participant" for r in example_records)
    assert f"participants: {participants} added" in first.stdout
    accounts = [line.split() for line in first.stdout.splitlines() if "@example.org" in line]
    assert [a[0] for a in accounts] == ["coach", "team_lead", "referrer", "analyst", "auditor", "admin"]
    second = casework_process("demo", "--no-serve")
    assert second.returncode == 0, second.stderr
    assert "Created the key file" not in second.stdout
    assert "participants: 0 added" in second.stdout and "events: 0 added" in second.stdout
    again = [line.split() for line in second.stdout.splitlines() if "@example.org" in line]
    assert [a[1] for a in again] == [a[1] for a in accounts]
    assert all(new[2] != old[2] for new, old in zip(again, accounts, strict=True))
    assert (casework_process.instance / "casework.sqlite").exists()


def test_demo_says_clearly_when_the_file_is_missing(casework_process, tmp_path):
    result = casework_process("demo", "--no-serve", "--file", str(tmp_path / "missing.jsonl"))
    assert result.returncode == 1
    assert "missing" in result.stderr and "--file" in result.stderr


def test_demo_password_signs_in(app, tmp_path, example_lines, client):
    from casework.auth.service import authenticate
    from casework.exchange.demo import prepare_demo

    path = tmp_path / "example.jsonl"
    path.write_text("\n".join(example_lines), encoding="utf-8")
    _, accounts = prepare_demo(path)
    for role, email, password in accounts:
        user = authenticate(email, password)
        assert user is not None and user.role == role
    coach = authenticate(accounts[0][1], accounts[0][2])
    assert [t.slug for t in coach.teams] == [json.loads(example_lines[0])["slug"]]


def test_the_demo_referrer_has_a_schedule_once(app, tmp_path, example_lines):
    from casework.exchange.demo import prepare_demo
    from casework.schedule.service import schedule_for

    path = tmp_path / "example.jsonl"
    path.write_text("\n".join(example_lines), encoding="utf-8")
    _, accounts = prepare_demo(path)
    referrer = get_user(next(email for role, email, _ in accounts if role == "referrer"))
    first = {entry.participant.id for entry in schedule_for(referrer)}
    assert len(first) == 4
    changes = db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(Event.type == "referrer_changed"))
    prepare_demo(path)
    assert {entry.participant.id for entry in schedule_for(referrer)} == first
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)
                             .where(Event.type == "referrer_changed")) == changes


def test_the_demo_data_is_the_shared_worked_example():
    """The package ships a copy of `../shared/examples`' log; the two must not drift apart."""
    from casework.exchange.demo import DEFAULT_EXAMPLE

    shared = (Path(__file__).resolve().parents[2] / ".." / "shared" / "examples" / DEFAULT_EXAMPLE.name).resolve()
    if not shared.is_file():
        pytest.skip(f"{shared} is not beside the checkout")
    assert DEFAULT_EXAMPLE.read_bytes() == shared.read_bytes()
