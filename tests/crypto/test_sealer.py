"""Encrypting many values of one participant at once (the import) makes what `seal` makes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework.crypto import service as crypto
from casework.crypto.cipher import Sealer, field_aad, key_id_of, open_sealed
from casework.errors import KeyUnavailable
from casework.events.models import Event


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=70))
def test_a_sealed_value_opens_as_a_seal_would(text):
    key, key_id = bytes(range(32)), "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
    blob = Sealer(key, key_id)(b"aad", text)
    assert key_id_of(blob) == key_id and open_sealed(key, b"aad", blob) == text
    assert (len(blob) - 29 - 16) % 16 == 0  # header, tag, and the text padded to whole blocks


def test_the_encrypters_write_what_the_accessors_read(participant):
    personal, note = Event.personal.encrypter(participant.id), Event.note.encrypter(participant.id)
    event_id = "00000000-0000-4000-8000-0000000000aa"
    assert Event.personal.decrypt(participant.id, event_id, personal(event_id, {"workplace": "Verkstaden"})) \
        == {"workplace": "Verkstaden"}
    assert Event.note.decrypt(participant.id, event_id, note(event_id, "Samtal")) == "Samtal"
    assert personal(event_id, {}) is None and note(event_id, None) is None
    blob = note(event_id, "Samtal")
    assert crypto.decrypt_text(participant.id, "events", "note", event_id, blob) == "Samtal"
    other = "00000000-0000-4000-8000-0000000000bb"
    key_id, key = crypto.data_key(participant.id)
    assert open_sealed(key, field_aad("events", "note", event_id), blob) == "Samtal"
    with pytest.raises(KeyUnavailable):  # bound to its row: fails closed anywhere else
        open_sealed(key, field_aad("events", "note", other), blob)
