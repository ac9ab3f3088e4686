import json

import pytest
import sqlalchemy as sa

from casework.audit.access_log import write_pending
from casework.audit.models import AccessLogEntry
from casework.errors import Conflict, PermissionDenied, ValidationFailed
from casework.extensions import db
from casework.participants.service import find_by_personnummer, personal_data
from casework.protection.erasure import erase_participant
from casework.protection.models import PersonalHistory
from casework.protection.rectification import rectify_personal
from casework.protection.subject_access import subject_access_record


def purposes(pid):
    """The purposes logged for `pid`, once the reads noted so far are written."""
    write_pending()
    return list(db.session.scalars(sa.select(AccessLogEntry.purpose).where(AccessLogEntry.participant_id == pid)))


def test_the_subject_access_record_holds_everything_and_is_logged(enrolled, record, coach):
    record(enrolled, "activity", "2021-03-01", {"kind": "forest_group", "attended": True}, note="Trivdes i skogen")
    record(enrolled, "consent_withdrawn", "2021-03-02", {"scope": "statistics"})
    data = subject_access_record(enrolled, coach)
    assert data["personal"]["name"] == "Anna Exempel" and data["personal"]["personnummer"] == "19900101-0017"
    assert [e["type"] for e in data["events"]] == ["referral_received", "enrolled", "activity", "consent_withdrawn"]
    assert data["events"][2]["note"] == "Trivdes i skogen"
    assert data["consents"] == ["documentation", "information_sharing"]
    assert [(r["purpose"], r["role"]) for r in data["reads"]] == [("subject_access", "Coach")]
    assert purposes(enrolled.id) == ["subject_access"]
    assert json.loads(json.dumps(data)) == data


def test_an_erased_record_exports_what_remains(enrolled, make_user, team):
    lead = make_user("team_lead", [team])
    erase_participant(enrolled, "Begäran", lead, force=True)
    data = subject_access_record(enrolled, lead)
    assert data["personal"] is None and data["participant"]["erased_at"]
    assert all(e["note"] is None for e in data["events"]) and data["events"][-1]["type"] == "erased"


def test_outsiders_cannot_export(participant, make_user, make_team):
    with pytest.raises(PermissionDenied):
        subject_access_record(participant, make_user("coach", [make_team()]))
    with pytest.raises(PermissionDenied):
        subject_access_record(participant, make_user("auditor"))
    assert purposes(participant.id) == []


def test_cli_writes_json_and_html(app, participant, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "export.json"
    result = runner.invoke(args=["gdpr", "export", participant.ref, "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["personal"]["name"] == "Anna Exempel"
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    page = runner.invoke(args=["gdpr", "export", participant.id, "--html"])
    assert "Registerutdrag" in page.output and "Anna Exempel" in page.output
    assert runner.invoke(args=["gdpr", "export", "P9999"]).exit_code == 1


def test_rectification_keeps_the_previous_value_and_moves_the_blind_index(participant, coach, team):
    changed = rectify_personal(participant, {"name": "Anna Rättad", "personnummer": "19900101-0025",
                                             "phone": "070-1111111"}, coach)
    assert changed == ["name", "personnummer", "contact"]
    now = personal_data(participant, coach, "case_work")
    assert (now.name, now.personnummer, now.phone) == ("Anna Rättad", "19900101-0025", "070-1111111")
    assert find_by_personnummer("199001010017", [team.id]) == []
    assert find_by_personnummer("199001010025", [team.id]) == [participant]
    history = subject_access_record(participant, coach)["rectification_history"]
    assert {h["field"]: h["previous_value"] for h in history} == {
        "name": "Anna Exempel", "personnummer": "199001010017", "contact": "{}"}
    assert all(b"Anna" not in row.value_enc for row in db.session.scalars(sa.select(PersonalHistory)))
    assert rectify_personal(participant, {"name": "Anna Rättad"}, coach) == []
    assert "rectification" in purposes(participant.id)


def test_erasure_removes_the_history(participant, coach, make_user, team):
    rectify_personal(participant, {"name": "Nytt Namn"}, coach)
    erase_participant(participant, "Begäran", make_user("team_lead", [team]))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PersonalHistory)) == 0


@pytest.mark.parametrize("raw,field", [
    ({}, "personal"), ({"personnummer": "19900101-0018"}, "personnummer"),
    ({"personnummer": "19850101-0014"}, "personnummer"), ({"email": "inte en adress"}, "email"),
    ({"name": ""}, "name"), ({"shoe_size": "42"}, "shoe_size"),
])
def test_bad_corrections_are_refused_and_nothing_is_written(participant, coach, raw, field):
    before = bytes(participant.name_enc)
    with pytest.raises(ValidationFailed) as error:
        rectify_personal(participant, raw, coach)
    assert field in error.value.errors
    assert bytes(participant.name_enc) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PersonalHistory)) == 0


def test_a_duplicate_personnummer_is_refused(participant, make_participant, team, coach):
    other = make_participant(team, "Bo Annan", "19900101-0025")
    with pytest.raises(Conflict):
        rectify_personal(other, {"personnummer": "19900101-0017"}, coach)
