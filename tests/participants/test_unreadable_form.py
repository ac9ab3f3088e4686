"""Unreadable text posted by a page's form: a Swedish message on the field, nothing written."""

import sqlalchemy as sa

from casework.events.models import Event
from casework.events.service import log_of
from casework.extensions import db
from casework.participants.models import Participant


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


REGISTER = {"gender": "woman", "birth_year": "1990", "education": "upper_secondary", "name": "Nora Ny",
            "step": "study_visit", "date": "2021-03-01", "mode": "digital"}


def test_a_name_with_a_nul_is_refused_on_its_field(client, login, coach, team):
    login(coach)
    response = client.post(f"/teams/{team.slug}/participants/new", data=REGISTER | {"name": "Nora\x00Ny"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Innehåller ett NUL-tecken" in page and 'value="Nora\ufffdNy"' in page
    assert _count(Participant) == 0


def test_a_name_on_two_lines_or_with_a_bidi_override_is_refused(client, login, coach, team):
    login(coach)
    for name, message in [("Nora\nNy", "radbrytningar"), ("Nora \u202eyN", "vänder textens riktning")]:
        response = client.post(f"/teams/{team.slug}/participants/new", data=REGISTER | {"name": name})
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _count(Participant) == 0


def test_a_note_keeps_its_lines_but_not_a_control_character(client, login, coach, enrolled):
    login(coach)
    before = _count(Event)
    form = {"type": "assessment", "assessment-date": "2021-03-01", "assessment-note": "rad ett\x0b"}
    response = client.post(f"/participants/{enrolled.id}/events", data=form)
    assert response.status_code == 400 and "styrtecken" in response.get_data(as_text=True)
    assert _count(Event) == before
    form["assessment-note"] = "rad ett\r\nrad två"
    assert client.post(f"/participants/{enrolled.id}/events", data=form).status_code == 302
    assert log_of(enrolled.id)[-1].note == "rad ett\nrad två"


def test_bytes_that_are_not_utf8_never_give_500(client, login, coach, enrolled):
    """A browser cannot send a lone surrogate; bytes that are not UTF-8 arrive as U+FFFD."""
    login(coach)
    body = b"type=assessment&assessment-date=2021-03-01&assessment-note=%ED%A0%80%FF"
    response = client.post(f"/participants/{enrolled.id}/events", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)
    for event in log_of(enrolled.id):
        (event.note or "").encode("utf-8")
