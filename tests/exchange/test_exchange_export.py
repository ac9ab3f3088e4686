import json
import stat

import sqlalchemy as sa

from casework.audit.access_log import write_pending
from casework.audit.models import AccessLogEntry
from casework.db import utcnow
from casework.exchange.exporting import export_team
from casework.exchange.service import import_lines
from casework.extensions import db
from casework.teams.service import get_team
from tests.exchange.conftest import EXAMPLE_TEAM


def renamed(lines: list[str], old: str, new: str) -> list[str]:
    """The same file for another team slug (a fresh team in the same database)."""
    out = []
    for line in lines:
        record = json.loads(line)
        if record["record"] == "team":
            record["slug"] = new
        elif record["record"] == "participant" or record.get("team") == old:
            record["team"] = new
        out.append(json.dumps(record, ensure_ascii=False))
    return out


def test_export_import_export_gives_the_same_lines(example_lines, coach):
    import_lines(example_lines)
    first = list(export_team(get_team(EXAMPLE_TEAM), coach))
    import_lines(renamed(first, EXAMPLE_TEAM, "kraften-copy"))
    second = list(export_team(get_team("kraften-copy"), coach))
    assert renamed(second, "kraften-copy", EXAMPLE_TEAM) == first


def test_export_holds_the_example_records(example_lines, example_records, coach):
    import_lines(example_lines)
    exported = [json.loads(line) for line in export_team(get_team(EXAMPLE_TEAM), coach)]
    assert exported[0]["record"] == "team" and exported[0]["settings"]["year_start_month"] == 7

    def key(record):
        return json.dumps(record, sort_keys=True)

    assert sorted(map(key, exported[1:])) == sorted(key(r) for r in example_records if r["record"] != "team")


def test_events_come_in_each_participants_log_order(make_participant, team, record, coach):
    participant = make_participant(team, "Lisa Lind", "19900101-0017")
    record(participant, "referral_received", "2021-01-05",
           {"referrer_org": "fk", "referrer": {"name": "Handläggare Hansson", "email": "h@fk.example.org"}})
    record(participant, "enrolled", "2021-02-01", {"consents": ["statistics"]}, note="Första mötet.")
    lines = [json.loads(line) for line in export_team(team, coach)]
    events = [r for r in lines if r["record"] == "event"]
    assert [e["type"] for e in events] == ["referral_received", "enrolled"]
    assert events[0]["data"] == {"referrer_org": "fk", "income_sources": [],
                                 "referrer": {"name": "Handläggare Hansson", "email": "h@fk.example.org"}}
    assert events[1]["note"] == "Första mötet."
    assert lines[1]["personal"] == {"name": "Lisa Lind", "personnummer": "19900101-0017"}


def test_export_is_access_logged_for_every_participant(example_lines, example_records, coach):
    import_lines(example_lines)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AccessLogEntry))
    list(export_team(get_team(EXAMPLE_TEAM), coach))
    write_pending()
    entries = db.session.scalars(sa.select(AccessLogEntry).order_by(AccessLogEntry.id).offset(before)).all()
    assert len(entries) == sum(r["record"] == "participant" for r in example_records)
    assert {(e.purpose, e.user_id) for e in entries} == {("export", coach.id)}


def test_an_erased_participant_exports_facts_only(make_participant, team, record, coach):
    participant = make_participant(team, "Borta Person", "19900101-0017")
    record(participant, "referral_received", "2021-01-05", {"referrer_org": "soc"}, note="Något personligt.")
    participant.erased_at = utcnow()
    db.session.flush()
    lines = [json.loads(line) for line in export_team(team, coach)]
    assert "personal" not in lines[1] and lines[1]["birth_year"] == 1990
    assert lines[2] == {"record": "event", "id": lines[2]["id"], "ref": participant.ref, "type": "referral_received",
                        "date": "2021-01-05", "data": {"referrer_org": "soc", "income_sources": []}}
    assert "Borta" not in json.dumps(lines) and "Något" not in json.dumps(lines)


def test_cli_export_writes_a_private_file(app, example_lines, tmp_path):
    import_lines(example_lines)
    output = tmp_path / "export.jsonl"
    result = app.test_cli_runner().invoke(args=["export", "--team", EXAMPLE_TEAM, "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert len(output.read_text(encoding="utf-8").splitlines()) == len(example_lines)


def test_cli_export_to_stdout_and_unknown_team(app, example_lines):
    import_lines(example_lines)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "--team", EXAMPLE_TEAM])
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[0])["slug"] == EXAMPLE_TEAM
    result = runner.invoke(args=["export", "--team", "no-such-team"])
    assert result.exit_code == 1 and "team: Unknown team" in result.stderr


def test_who_declined_statistics_is_exported_without_personal_data(make_participant, team, record, coach):
    declined = make_participant(team, "Nej Tack", "19900101-0017")
    record(declined, "referral_received", "2021-01-05", {"referrer_org": "soc"})
    record(declined, "enrolled", "2021-02-01", {"consents": ["documentation"]}, note="Vill inte delta i statistik.")
    agreed = make_participant(team, "Ja Gärna", "19850505-0024", birth_year=1985)
    record(agreed, "referral_received", "2021-01-05", {"referrer_org": "af"})
    record(agreed, "enrolled", "2021-02-01", {"consents": ["statistics"]}, note="Inskriven.")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AccessLogEntry))
    text = "\n".join(export_team(team, coach))
    assert "Nej Tack" not in text and "Vill inte" not in text and "19900101" not in text
    assert "Ja Gärna" in text and "Inskriven." in text
    write_pending()
    logged = db.session.scalars(sa.select(AccessLogEntry.participant_id).order_by(AccessLogEntry.id)
                                .offset(before)).all()
    assert logged == [agreed.id]
