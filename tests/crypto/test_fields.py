"""The accessors on the models (`participant.name`, `event.note`, `user.totp_secret`)."""

import pytest
import sqlalchemy as sa

from casework.crypto import service as crypto
from casework.crypto.models import DataKey
from casework.errors import KeyUnavailable
from casework.events.models import Event
from casework.extensions import db
from casework.participants.models import Participant
from casework.protection.models import PersonalHistory


def test_participant_fields_round_trip_and_stay_ciphertext(participant):
    participant.contact = {"phone": "070-1234567", "email": "anna@example.org"}
    db.session.flush()
    db.session.expire(participant)
    assert participant.name == "Anna Exempel" and participant.personnummer == "199001010017"
    assert participant.contact == {"phone": "070-1234567", "email": "anna@example.org"}
    assert b"Anna" not in participant.name_enc and b"070" not in participant.contact_enc


def test_event_fields_round_trip(participant, record):
    event = record(participant, "referral_received", "2021-01-05",
                   {"referrer_org": "fk", "referrer": {"name": "Rut Remiss"}}, note="Första samtalet")
    db.session.expire(event)
    assert event.note == "Första samtalet" and event.personal == {"referrer": {"name": "Rut Remiss"}}


def test_empty_values_are_stored_as_null(participant):
    participant.contact = {}
    participant.name = None
    assert participant.contact_enc is None and participant.name_enc is None
    assert participant.contact == {} and participant.name is None


def test_values_written_by_the_old_hand_calls_read_through_the_accessors(participant, record):
    pid = participant.id
    participant.name_enc = crypto.encrypt_text(pid, "participants", "name", pid, "Gammal Väg")
    participant.contact_enc = crypto.encrypt_json(pid, "participants", "contact", pid, {"phone": "08-123"})
    assert participant.name == "Gammal Väg" and participant.contact == {"phone": "08-123"}
    event_id = "00000000-0000-4000-8000-000000000001"
    blob = crypto.encrypt_text(pid, "events", "note", event_id, "Gammal anteckning")
    assert Event.note.decrypt(pid, event_id, blob) == "Gammal anteckning"


def test_values_written_by_the_accessors_read_through_the_old_hand_calls(participant, record):
    pid = participant.id
    event = record(participant, "activity", "2021-03-01", {"kind": "gym", "attended": True}, note="Ny väg")
    history = PersonalHistory(id="00000000-0000-4000-8000-000000000002", participant_id=pid, field="name")
    history.value = "Förra namnet"
    assert crypto.decrypt_text(pid, "participants", "personnummer", pid, participant.personnummer_enc) == "199001010017"
    assert crypto.decrypt_text(pid, "events", "note", event.id, event.note_enc) == "Ny väg"
    assert crypto.decrypt_text(pid, "personal_history", "value", history.id, history.value_enc) == "Förra namnet"


def test_a_ciphertext_moved_to_another_row_or_column_fails_closed(participant, make_participant, team, record):
    first = record(participant, "activity", "2021-03-01", {"kind": "gym", "attended": True}, note="Ett")
    second = record(participant, "activity", "2021-03-02", {"kind": "gym", "attended": True}, note="Två")
    with pytest.raises(KeyUnavailable):
        Event.note.decrypt(participant.id, second.id, first.note_enc)
    with pytest.raises(KeyUnavailable):
        Participant.personnummer.decrypt(participant.id, participant.id, participant.name_enc)
    other = make_participant(team, "Bertil Annan")
    other.name_enc = participant.name_enc
    with pytest.raises(KeyUnavailable):
        _ = other.name


def test_a_destroyed_data_key_fails_closed(participant):
    db.session.execute(sa.delete(DataKey).where(DataKey.participant_id == participant.id))
    crypto.forget_data_keys(participant.id)
    with pytest.raises(KeyUnavailable):
        _ = participant.name
    with pytest.raises(KeyUnavailable):
        participant.name = "Ny"


def test_a_value_cannot_be_written_before_its_row_has_an_id():
    with pytest.raises(ValueError):
        Participant().name = "Utan id"


def test_the_totp_secret_is_sealed_to_its_user(make_user, team):
    user = make_user("coach", [team])
    user.totp_secret = "JBSWY3DPEHPK3PXP"
    assert user.totp_key_id == crypto.keyring().active_master.id and b"JBSW" not in user.totp_secret_enc
    assert crypto.open_system_secret(user.totp_key_id, "users", "totp_secret", user.id,
                                     user.totp_secret_enc) == "JBSWY3DPEHPK3PXP"
    other = make_user("coach", [team])
    other.totp_key_id, other.totp_secret_enc = user.totp_key_id, user.totp_secret_enc
    with pytest.raises(KeyUnavailable):
        _ = other.totp_secret
    user.totp_secret = None
    assert user.totp_secret is None and user.totp_key_id is None and user.totp_secret_enc is None
