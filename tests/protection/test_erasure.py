import pytest
import sqlalchemy as sa

from casework.crypto import ledger
from casework.crypto import service as crypto
from casework.crypto.models import DataKey
from casework.errors import Conflict, KeyUnavailable, PermissionDenied, ValidationFailed
from casework.events.service import effective, log_of
from casework.extensions import db
from casework.participants.service import display_name, find_by_personnummer, personal_data
from casework.protection.erasure import erase_participant, replay_erasures
from casework.protection.models import ErasureRecord


def facts(participant):
    """Everything a report reads: the facts and the effective events' public data."""
    db.session.expire_all()
    return ((participant.gender, participant.birth_year, participant.education, participant.support_months_before),
            [(e.type, e.date, e.data) for e in effective(log_of(participant.id)) if e.type != "erased"])


@pytest.fixture
def exited(enrolled, record):
    record(enrolled, "exited", "2021-06-01", {"category": "work", "subtype": "unsubsidised",
                                              "income_sources": ["salary"]}, note="Fick jobb hos Anna")
    return enrolled


def test_erasure_destroys_the_key_and_keeps_the_facts(exited, make_user, team):
    lead = make_user("team_lead", [team])
    before = facts(exited)
    record = erase_participant(exited, "Begäran från den registrerade", lead)
    assert record.participant_id == exited.id and record.kind == "request"
    assert db.session.scalar(sa.select(DataKey).where(DataKey.participant_id == exited.id)) is None
    assert exited.name_enc is None and exited.personnummer_enc is None and exited.pnr_index is None
    assert all(e.note_enc is None and e.personal_enc is None for e in log_of(exited.id))
    assert log_of(exited.id)[-1].type == "erased"
    assert find_by_personnummer("199001010017", [team.id]) == []
    assert display_name(exited) == exited.pseudonym
    assert facts(exited) == before
    crypto.forget_data_keys()
    with pytest.raises(KeyUnavailable):
        crypto.data_key(exited.id)
    with pytest.raises(KeyUnavailable):
        personal_data(exited, lead, "case_work")
    assert exited.id in ledger.erased_ids()


def test_someone_enrolled_is_erased_only_when_forced_by_a_team_lead(enrolled, make_user, team, coach):
    lead = make_user("team_lead", [team])
    with pytest.raises(Conflict):
        erase_participant(enrolled, "Begäran", lead)
    with pytest.raises(PermissionDenied):
        erase_participant(enrolled, "Begäran", coach, force=True)
    with pytest.raises(ValidationFailed):
        erase_participant(enrolled, " ", lead, force=True)
    with pytest.raises(ValidationFailed):
        erase_participant(enrolled, "Begäran från 19900101-0017", lead, force=True)
    assert enrolled.id not in ledger.erased_ids()
    assert enrolled.erased_at is None
    erase_participant(enrolled, "Begäran", lead, force=True)
    assert db.session.scalar(sa.select(ErasureRecord.forced).where(ErasureRecord.participant_id == enrolled.id))
    with pytest.raises(Conflict):
        erase_participant(enrolled, "Igen", lead, force=True)


def test_a_ledger_entry_refuses_decryption_before_the_replay_and_the_replay_completes_it(participant, session):
    """A restored backup holds the wrapped key; the ledger file alone must keep the person erased."""
    ledger.append(participant.id, "2026-01-01T00:00:00+00:00", "request")
    crypto.forget_data_keys()
    with pytest.raises(KeyUnavailable):
        crypto.data_key(participant.id)
    crypto.preload_data_keys([participant.id])
    assert display_name(participant) == participant.pseudonym
    assert participant.id in replay_erasures()
    assert participant.erased_at is not None and participant.name_enc is None
    assert db.session.scalar(sa.select(DataKey).where(DataKey.participant_id == participant.id)) is None
    assert participant.id not in replay_erasures()
    assert sum(1 for e in log_of(participant.id) if e.type == "erased") == 1


def test_events_stay_immutable_except_for_erasure(participant, record):
    event = record(participant, "study_visit", "2021-01-01", note="anteckning")
    event.date = event.date.replace(day=2)
    with pytest.raises(Exception, match="never edited"):
        db.session.flush()


def test_cli_erases_by_ref_and_explains_bad_input(app, exited, participant, team):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["gdpr", "erase", "NOPE", "--reason", "x"])
    assert result.exit_code == 1 and "No such participant" in result.output
    result = runner.invoke(args=["gdpr", "erase", exited.ref, "--team", team.slug])
    assert result.exit_code != 0 and "--reason" in result.output
    assert exited.erased_at is None



def test_other_areas_hooks_run_inside_the_erasure(participant, monkeypatch):
    from casework.protection import erasure

    seen = []
    monkeypatch.setattr(erasure, "_erasure_hooks", [])
    erasure.on_erasure(lambda p: seen.append((p.id, db.session.scalar(
        sa.select(DataKey.id).where(DataKey.participant_id == p.id)) is not None)))
    erase_participant(participant, "Begäran")
    assert seen == [(participant.id, True)]
