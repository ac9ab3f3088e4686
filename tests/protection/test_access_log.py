import datetime as dt

import pytest
import sqlalchemy as sa

from casework.audit.access_log import log_access, verify_chain
from casework.audit.models import AccessLogEntry
from casework.extensions import db
from casework.participants.service import personal_data


@pytest.fixture
def logged(participant, coach, make_participant, team):
    other = make_participant(team, "Bertil Annan")
    personal_data(participant, coach, "case_work")
    log_access(coach, [participant.id, other.id], "list")
    personal_data(other, coach, "case_work")
    return list(db.session.scalars(sa.select(AccessLogEntry).order_by(AccessLogEntry.id)))


def test_an_intact_chain_verifies(logged, app):
    assert verify_chain().ok and verify_chain().checked == len(logged) == 4
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "4 entries" in result.output


@pytest.mark.parametrize("column,value", [
    ("user_id", None), ("participant_id", "00000000-0000-0000-0000-000000000000"), ("route", "other"),
    ("purpose", "curiosity"), ("at", dt.datetime(2020, 1, 1, tzinfo=dt.UTC)), ("prev_hash", "f" * 64),
    ("hash", "e" * 64),
])
@pytest.mark.parametrize("position", [0, 1, 3])
def test_altering_any_stored_entry_breaks_the_chain(logged, app, column, value, position):
    target = logged[position]
    db.session.execute(sa.update(AccessLogEntry).where(AccessLogEntry.id == target.id).values({column: value}))
    result = verify_chain()
    assert not result.ok
    assert result.broken_id in (target.id, logged[min(position + 1, 3)].id)
    cli = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert cli.exit_code == 1 and f"entry {result.broken_id}" in cli.output


def test_removing_an_entry_breaks_the_chain(logged):
    db.session.execute(sa.delete(AccessLogEntry).where(AccessLogEntry.id == logged[1].id))
    assert verify_chain().broken_id == logged[2].id


def test_the_application_cannot_edit_entries(logged):
    logged[0].purpose = "changed"
    with pytest.raises(Exception, match="never edited"):
        db.session.flush()


def test_the_application_cannot_delete_entries(logged):
    db.session.delete(logged[0])
    with pytest.raises(Exception, match="never deleted"):
        db.session.flush()


def test_the_auditor_filters_and_exports_the_log(logged, make_user, login, client, coach, participant):
    auditor = make_user("auditor")
    login(auditor)
    page = client.get("/protection/access-log")
    assert page.status_code == 200 and coach.email in page.get_data(as_text=True)
    assert "Anna" not in page.get_data(as_text=True)
    page = client.get(f"/protection/access-log?participant={participant.ref}&user={coach.email}")
    assert page.get_data(as_text=True).count("<tr><td>") == 2
    export = client.get(f"/protection/access-log?participant={participant.id}&format=csv&from=2000-01-01")
    lines = export.get_data(as_text=True).strip().splitlines()
    assert export.mimetype == "text/csv" and len(lines) == 3 and all(participant.id in line for line in lines[1:])
    assert client.get("/protection/access-log?to=2000-01-01").get_data(as_text=True).count("<tr><td>") == 0
    bad = client.get("/protection/access-log?user=nobody@example.org&from=yesterday")
    assert bad.status_code == 400 and "Okänd användare" in bad.get_data(as_text=True)


def test_only_the_auditor_reads_the_log(logged, login, client, coach):
    login(coach)
    assert client.get("/protection/access-log").status_code == 403
