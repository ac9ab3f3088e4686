import json

import pytest
import sqlalchemy as sa

from casework.events.models import Event
from casework.extensions import db
from conftest import casework_process, first_line, on_postgresql, with_line  # noqa: F401


def event_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event))


def test_cli_import_prints_a_summary_and_adds_nothing_twice(app, example_lines, tmp_path):
    path = tmp_path / "example.jsonl"
    path.write_text("\n".join(example_lines) + "\n", encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "62 added" in result.stdout or "added" in result.stdout
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


@pytest.mark.skipif(on_postgresql(), reason="the raw database file exists only on SQLite")
def test_the_sqlite_file_holds_no_personal_data_in_clear(casework_process, example_records, tmp_path):
    from casework.exchange.demo import DEFAULT_EXAMPLE

    assert casework_process("db", "upgrade").returncode == 0
    result = casework_process("import", str(DEFAULT_EXAMPLE))
    assert result.returncode == 0, result.stderr
    secrets = set()
    for record in example_records:
        for key, value in record.get("personal", {}).items():
            secrets.add(value)
            if key == "personnummer":
                secrets.update({value.replace("-", ""), value[2:], value.replace("-", "")[2:]})
                secrets.update(value.split())
        if record.get("note"):
            secrets.add(record["note"])
    for record in example_records:
        if record.get("personal", {}).get("name"):
            secrets.update(record["personal"]["name"].split())
    raw = b"".join(p.read_bytes() for p in casework_process.instance.glob("casework.sqlite*"))
    assert b"kraften-hedemora" in raw  # the facts and the team are there, in clear
    leaked = sorted(s for s in secrets if len(s) >= 4 and s.encode() in raw)
    assert leaked == []


@pytest.mark.skipif(on_postgresql(), reason="the demo runs on SQLite in the instance folder")
def test_demo_prepares_an_instance_and_is_idempotent(casework_process, example_records):
    first = casework_process("demo", "--no-serve", "--port", "5099")
    assert first.returncode == 0, first.stderr
    assert "http://127.0.0.1:5099/" in first.stdout
    participants = sum(r["record"] == "participant" for r in example_records)
    assert f"participants: {participants} added" in first.stdout
    accounts = [line.split() for line in first.stdout.splitlines() if "@example.org" in line]
    assert [a[0] for a in accounts] == ["coach", "team_lead", "referrer", "analyst", "auditor", "admin"]
    second = casework_process("demo", "--no-serve")
    assert second.returncode == 0, second.stderr
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
