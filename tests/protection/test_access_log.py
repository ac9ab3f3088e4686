"""The access log as the auditor reads it; the chain itself is tested in tests/audit."""

import pytest
import sqlalchemy as sa

from casework.audit.access_log import log_access, write_pending
from casework.audit.models import AccessLogEntry
from casework.extensions import db
from casework.participants.service import personal_data


@pytest.fixture
def logged(participant, coach, make_participant, team):
    other = make_participant(team, "Bertil Annan")
    personal_data(participant, coach, "case_work")
    log_access(coach, [participant.id, other.id], "list")
    personal_data(other, coach, "case_work")
    write_pending()
    return list(db.session.scalars(sa.select(AccessLogEntry).order_by(AccessLogEntry.id)))


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


def test_the_auditor_reads_local_time_and_named_pages_and_purposes(logged, make_user, login, client):
    from zoneinfo import ZoneInfo

    auditor = make_user("auditor")
    login(auditor)
    page = client.get("/protection/access-log").get_data(as_text=True)
    local = logged[0].at.replace(tzinfo=logged[0].at.tzinfo or ZoneInfo("UTC")).astimezone(ZoneInfo("Europe/Stockholm"))
    assert local.strftime("%Y-%m-%d %H:%M:%S") in page and "svensk tid" in page
    assert "Arbete med deltagaren" in page and ">case_work<" not in page
    assert "Kommandoraden" in page and ">cli<" not in page  # written outside a request
    assert ">list<" in page  # a purpose with no name yet is shown as it is


def test_summer_and_winter_time_are_both_local():
    import datetime as dt

    from casework.protection.log_labels import local_time

    assert local_time(dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC)) == "2026-07-01 12:00:00"
    assert local_time(dt.datetime(2026, 1, 1, 10, 0)) == "2026-01-01 11:00:00"
