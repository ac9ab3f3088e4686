"""Unreadable text in an import file is refused line by line, naming the field; nothing written."""

import json

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.events.models import Event
from casework.exchange.service import ImportRefused, import_lines
from casework.extensions import db
from casework.participants.models import Participant
from casework.participants.service import personal_data
from casework.text import BIDI, NUL, SURROGATE, text_problem


def _file(name="Greta Gran", note="Inskriven.", answer=3, question="q1") -> list[str]:
    lines = [
        {"record": "team", "slug": "text-team", "name": "Text Team", "federation": "Testförbundet"},
        {"record": "participant", "ref": "T1", "team": "text-team", "gender": "woman", "birth_year": 1990,
         "personal": {"name": name}},
        {"record": "event", "id": "B1", "ref": "T1", "type": "referral_received", "date": "2021-01-05",
         "data": {"referrer_org": "fk"}},
        {"record": "event", "id": "B2", "ref": "T1", "type": "enrolled", "date": "2021-02-01",
         "data": {"consents": ["statistics"]}, "note": note},
        {"record": "event", "id": "B3", "ref": "T1", "type": "survey", "date": "2021-03-01",
         "data": {"instrument": "nns_ongoing", "answers": {question: answer}}},
    ]
    return [json.dumps(line) for line in lines]  # ASCII with \\u escapes, as a JSON file may have them


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_each_unreadable_string_is_reported_with_its_line_and_field():
    with pytest.raises(ImportRefused) as caught:
        import_lines(_file(name="Gr\x00eta", note="in\u202eskriven", answer="\udfff"))
    assert caught.value.line_errors == [(2, "personal.name", NUL), (4, "note", BIDI),
                                        (5, "data.answers.q1", SURROGATE)]
    assert "line 5: data.answers.q1" in caught.value.errors
    assert _count(Participant) == 0 and _count(Event) == 0


def test_a_multi_line_note_is_imported():
    import_lines(_file(note="rad ett\r\nrad två\tmed tabb"))
    event = db.session.scalar(sa.select(Event).where(Event.ext_id == "B2"))
    assert event.note == "rad ett\nrad två\tmed tabb"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=20), note=st.text(max_size=20), question=st.text(min_size=1, max_size=20))
def test_arbitrary_text_is_imported_readable_or_refused_by_line(session, name, note, question):
    """Survey answers are numbers (DOMAIN.md §7): the text goes into a question's key instead."""
    savepoint = session.begin_nested()
    try:
        import_lines(_file(name, note, question=question))
    except ImportRefused as refused:
        assert refused.line_errors and all(line in (2, 4, 5) for line, _, _ in refused.line_errors)
        assert _count(Participant) == 0
    else:
        person = session.scalar(sa.select(Participant))
        texts = [*[v for v in vars(personal_data(person, None, "test")).values() if isinstance(v, str)],
                 *[e.note or "" for e in session.scalars(sa.select(Event))]]
        assert all(text_problem(t, multiline=True) is None for t in texts)
    finally:
        savepoint.rollback()
