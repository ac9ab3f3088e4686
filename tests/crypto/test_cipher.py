import pytest

from casework.crypto import service as crypto
from casework.crypto.cipher import field_aad, open_sealed, seal
from casework.errors import KeyUnavailable


def test_each_value_gets_a_fresh_nonce(participant):
    first = crypto.encrypt_text(participant.id, "t", "c", "r", "Anna")
    second = crypto.encrypt_text(participant.id, "t", "c", "r", "Anna")
    assert first != second
    assert crypto.decrypt_text(participant.id, "t", "c", "r", first) == "Anna"


def test_a_ciphertext_moved_to_another_row_or_column_fails_closed(participant):
    blob = crypto.encrypt_text(participant.id, "participants", "name", participant.id, "Anna")
    with pytest.raises(KeyUnavailable):
        crypto.decrypt_text(participant.id, "participants", "name", "another-row", blob)
    with pytest.raises(KeyUnavailable):
        crypto.decrypt_text(participant.id, "participants", "phone", participant.id, blob)


def test_another_participants_key_cannot_read_it(participant, make_participant, team):
    other = make_participant(team, "Bertil Annan")
    blob = crypto.encrypt_text(participant.id, "t", "c", "r", "Anna")
    with pytest.raises(KeyUnavailable):
        crypto.decrypt_text(other.id, "t", "c", "r", blob)


def test_short_values_are_padded_so_length_tells_little():
    key = b"k" * 32
    key_id = "00000000-0000-0000-0000-000000000001"
    assert len(seal(key, key_id, b"a", "Al")) == len(seal(key, key_id, b"a", "Alexandra"))
    assert open_sealed(key, b"a", seal(key, key_id, b"a", "Alexandra")) == "Alexandra"
    assert field_aad("participants", "name", "x") == b"casework/v1/participants/name/x"
