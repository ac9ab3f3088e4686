"""Unreadable text (NUL, controls, lone surrogates, bidi overrides) through the API: 422 naming
the field, nothing written, never a 500; ids in the path are never looked up raw."""

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.events.models import Event
from casework.extensions import db
from casework.participants.models import Participant
from casework.participants.service import personal_data
from casework.text import text_problem

API = "/api/v1"
INTAKE = {"gender": "woman", "birth_year": 1990, "personal": {"name": "Nora Ny"},
          "first_step": {"type": "referral_received", "date": "2021-01-05", "data": {"referrer_org": "fk"}}}


def _refused(response, field):
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in response.get_json()["errors"], response.get_json()


@pytest.mark.parametrize("value", ["\x00", "a\udfffb", "x\u202ey", "bell\x07", "two\nlines"])
def test_a_name_that_cannot_be_stored_is_refused(client, coach, bearer, counts, value):
    headers = bearer(coach)
    before = counts()
    body = INTAKE | {"personal": {"name": value}}
    _refused(client.post(f"{API}/teams/kraften-test/participants", json=body, headers=headers), "personal.name")
    assert counts() == before


def test_a_survey_answer_with_a_lone_surrogate_is_refused(client, coach, bearer, enrolled, counts):
    headers = bearer(coach)
    before = counts()
    event = {"type": "survey", "date": "2021-03-01", "data": {"instrument": "ors", "answers": {"q1": "\udfff"}}}
    _refused(client.post(f"{API}/participants/{enrolled.id}/events", json=event, headers=headers), "data.answers.q1")
    assert counts() == before
    assert client.get(f"{API}/participants/{enrolled.id}/events", headers=headers).status_code == 200


def test_a_note_may_have_lines_but_no_nul(client, coach, bearer, enrolled, counts):
    headers = bearer(coach)
    url = f"{API}/participants/{enrolled.id}/events"
    before = counts()
    _refused(client.post(url, json={"type": "assessment", "date": "2021-03-01", "note": "a\x00b"}, headers=headers),
             "note")
    assert counts() == before
    created = client.post(url, json={"type": "assessment", "date": "2021-03-01", "note": "a\r\n\tb"}, headers=headers)
    assert created.status_code == 201 and created.get_json()["note"] == "a\n\tb"


def test_a_correction_reason_with_a_bidi_override_is_refused(client, coach, bearer, enrolled, counts):
    from casework.events.service import log_of

    headers = bearer(coach)
    target = log_of(enrolled.id)[-1]
    before = counts()
    _refused(client.post(f"{API}/participants/{enrolled.id}/events/{target.id}/correction",
                         json={"reason": "fel \u202edatum"}, headers=headers), "reason")
    assert counts() == before


@pytest.mark.parametrize("path", ["/participants/%00", "/participants/%00/events", "/participants/a%20b",
                                  "/teams/%00/participants", "/participants/%C3%A5/events", "/participants/x%2Fy"])
def test_an_unreadable_id_in_the_path_is_404_and_never_looked_up(client, coach, bearer, path):
    response = client.get(f"{API}{path}", headers=bearer(coach))
    assert response.status_code == 404 and response.get_json()["code"] == 404


def test_an_unreadable_query_value_is_422_naming_it(client, coach, bearer):
    _refused(client.get(f"{API}/teams/kraften-test/participants?phase=%00", headers=bearer(coach)), "phase")


def test_pages_answer_404_for_an_unreadable_id(client, coach, login):
    login(coach)
    assert client.get("/participants/%00").status_code == 404
    assert client.get("/protection/participants/%00").status_code == 404
    assert client.get("/teams/kraften-test/participants?phase=%00").status_code == 400


def _stored_texts() -> list[str]:
    """Every text of every participant once decrypted: personal data, notes, payloads."""
    texts = []
    for participant in db.session.scalars(sa.select(Participant)):
        texts.extend(v for v in vars(personal_data(participant, None, "test")).values() if isinstance(v, str))
    for event in db.session.scalars(sa.select(Event)):
        texts.append(event.note or "")
        texts.extend(_strings(event.data))
        texts.extend(_strings(event.personal or {}))
    return texts


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=30))
def test_arbitrary_text_never_gives_500_nor_stores_unreadable_text(client, coach, bearer, enrolled, value):
    headers = bearer(coach)
    url = f"{API}/participants/{enrolled.id}/events"
    answers = client.post(url, json={"type": "survey", "date": "2021-03-01",
                                     "data": {"instrument": "ors", "answers": {value or "q": value}}}, headers=headers)
    note = client.post(url, json={"type": "assessment", "date": "2021-03-01", "note": value}, headers=headers)
    name = client.post(f"{API}/teams/kraften-test/participants", json=INTAKE | {"personal": {"name": value}},
                       headers=headers)
    assert {answers.status_code, note.status_code, name.status_code} <= {201, 422}
    assert all(text_problem(t, multiline=True) is None for t in _stored_texts())
    assert client.get(f"{API}/participants/{enrolled.id}", headers=headers).status_code == 200
    assert client.get(url, headers=headers).status_code == 200
