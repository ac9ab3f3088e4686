"""The step forms of `facts_corrected` and `identified`, registration's anonymous choice and the
page's messages (issue 13): Swedish, on the field at fault, the input kept, nothing written."""

import re

import sqlalchemy as sa

from casework.events.models import Event
from casework.events.service import log_of
from casework.extensions import db
from casework.participants.models import Participant

WOMAN_1990 = "19900315-0423"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def count_events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event))


def error_after(page: str, field_name: str) -> str:
    """The error text tied to the field named `field_name` by `aria-describedby` (empty when none)."""
    tied = re.search(rf'<[^>]*aria-describedby="{re.escape(field_name)}-error"[^>]*name="{re.escape(field_name)}"'
                     rf'|<[^>]*name="{re.escape(field_name)}"[^>]*aria-describedby="{re.escape(field_name)}-error"', page)
    found = re.search(rf'<span class="error" id="{re.escape(field_name)}-error"><span>([^<]*)</span>', page)
    return found.group(1) if tied and found else ""


def post(client, participant, type_name, fields: dict, day: str = "2021-04-01"):
    data = {"type": type_name, f"{type_name}-date": day}
    data.update({f"{type_name}-{name}": value for name, value in fields.items()})
    return client.post(f"/participants/{participant.id}/events", data=data)


def test_a_correction_without_reason_is_refused_in_swedish_with_the_input_kept(client, login, coach, enrolled):
    login(coach)
    before = count_events()
    response = post(client, enrolled, "facts_corrected", {"education": "compulsory", "reason": ""})
    page = text_of(response)
    assert response.status_code == 400
    assert error_after(page, "facts_corrected-reason") == "Obligatoriskt fält."
    assert '<option selected value="compulsory">' in page
    assert count_events() == before


def test_a_fact_outside_its_vocabulary_is_refused(client, login, coach, enrolled):
    login(coach)
    before = count_events()
    response = post(client, enrolled, "facts_corrected", {"gender": "robot", "reason": "Fel"})
    assert response.status_code == 400
    assert error_after(text_of(response), "facts_corrected-gender") == "Ogiltigt val."
    assert count_events() == before


def test_a_warning_is_confirmed_with_a_checkbox_then_saved(client, login, coach, make_participant, team, record):
    person = make_participant(team, "Maja Man", WOMAN_1990)
    record(person, "referral_received", "2021-01-05", {"referrer_org": "fk"})
    db.session.commit()
    login(coach)
    first = post(client, person, "facts_corrected", {"gender": "man", "reason": "Trodde fel"})
    page = text_of(first)
    assert first.status_code == 400
    assert "Könet stämmer inte med personnumrets näst sista siffra" in error_after(page, "facts_corrected-gender")
    assert 'name="facts_corrected-confirm_warnings"' in page
    assert 'name="identified-confirm_warnings"' not in page  # only on the form that was refused
    saved = post(client, person, "facts_corrected", {"gender": "man", "reason": "Trodde fel", "confirm_warnings": "y"})
    assert saved.status_code == 302
    page = text_of(client.get(saved.headers["Location"]))
    assert "Steget är sparat: Rättade uppgifter." in page
    assert re.search(r"<dt>Kön</dt><dd>Man</dd>", page)


def test_identifying_with_a_registered_personnummer_names_the_field(client, login, coach, team, make_participant,
                                                                    participant, record):
    anonymous = make_participant(team, name=None)
    record(anonymous, "referral_received", "2021-01-05", {"referrer_org": "fk"})
    db.session.commit()
    login(coach)
    before = count_events()
    response = post(client, anonymous, "identified", {"personal_name": "Anna Igen",
                                                      "personal_personnummer": "19900101-0017"})
    page = text_of(response)
    assert response.status_code == 400
    assert error_after(page, "identified-personal_personnummer") == \
        "En deltagare med detta personnummer finns redan i teamet."
    assert 'value="Anna Igen"' in page
    assert count_events() == before and db.session.get(Participant, anonymous.id).anonymous


def test_an_identified_participant_shows_the_name(client, login, coach, team, make_participant, record):
    anonymous = make_participant(team, name=None)
    record(anonymous, "referral_received", "2021-01-05", {"referrer_org": "fk"})
    db.session.commit()
    login(coach)
    response = post(client, anonymous, "identified", {"personal_name": "Ida Identifierad",
                                                      "personal_personnummer": WOMAN_1990,
                                                      "consents": ["documentation", "statistics"]})
    assert response.status_code == 302, text_of(response)
    page = text_of(client.get(response.headers["Location"]))
    assert "Ida Identifierad" in page and "19900315-0423" in page
    found = client.post(f"/teams/{team.slug}/participants", data={"q": "900315-0423"})
    assert "Ida Identifierad" in text_of(found)


def test_a_step_after_the_exit_says_the_participant_has_exited(client, login, coach, enrolled, record):
    record(enrolled, "exited", "2021-05-03", {"category": "studies"})
    db.session.commit()
    login(coach)
    response = post(client, enrolled, "assessment", {}, day="2021-06-01")
    assert response.status_code == 400
    assert "Deltagaren avslutades 2021-05-03: steget kräver en ny inskrivning först." in text_of(response)
    second_exit = post(client, enrolled, "exited", {"category": "work"}, day="2021-06-01")
    assert "Deltagaren är redan avslutad (2021-05-03)." in text_of(second_exit)
    assert [e.type for e in log_of(enrolled.id)][-1] == "exited"


def register_form(**overrides) -> dict:
    form = {"gender": "man", "birth_year": "1990", "education": "unknown", "name": "Nora Ny",
            "personnummer": "19900101-0017", "step": "study_visit", "date": "2021-03-01", "mode": "physical"}
    form.update(overrides)
    return form


def test_registering_without_a_name_asks_whether_the_person_is_anonymous(client, login, coach, team):
    login(coach)
    response = client.post(f"/teams/{team.slug}/participants/new", data=register_form(name="", personnummer=""))
    assert response.status_code == 400
    assert error_after(text_of(response), "name").startswith("Ange namnet, eller kryssa i Anonym deltagare")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 0


def test_a_malformed_personnummer_is_reported_under_personnummer(client, login, coach, team):
    login(coach)
    page = text_of(client.post(f"/teams/{team.slug}/participants/new", data=register_form(personnummer="123")))
    assert error_after(page, "personnummer") == "Ogiltigt personnummer."
    assert error_after(page, "name") == ""


def test_registration_against_the_gender_digit_asks_for_confirmation(client, login, coach, team):
    login(coach)
    first = client.post(f"/teams/{team.slug}/participants/new", data=register_form(gender="woman"))
    assert first.status_code == 400
    assert "Könet stämmer inte med personnumrets" in error_after(text_of(first), "gender")
    assert 'name="confirm_warnings"' in text_of(first)
    confirmed = client.post(f"/teams/{team.slug}/participants/new",
                            data=register_form(gender="woman", confirm_warnings="y"))
    assert confirmed.status_code == 302
