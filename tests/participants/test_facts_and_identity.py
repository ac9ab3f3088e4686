"""Correcting a participant's facts and identifying an anonymous participant (issue 13, item 2):
one rule in the event service, through the step forms and the API alike."""

import pytest
import sqlalchemy as sa

from casework.errors import Conflict, NeedsConfirmation, ValidationFailed
from casework.events.models import Event
from casework.events.service import append_event, correct_event, log_of
from casework.extensions import db
from casework.participants.identification import current_facts
from casework.participants.service import display_name, search_participants

WOMAN_1990 = "19900315-0423"  # even gender digit: a woman, born 1990
API = "/api/v1"


def count_events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event))


@pytest.fixture
def anonymous(make_participant, team, record):
    person = make_participant(team, name=None)
    record(person, "referral_received", "2021-01-05", {"referrer_org": "fk"})
    return person


def test_a_correction_changes_only_the_named_facts(enrolled, record):
    record(enrolled, "facts_corrected", "2021-03-01", {"education": "compulsory", "reason": "Fel nivå"})
    assert current_facts(enrolled) == {"gender": "woman", "birth_year": 1990, "education": "compulsory",
                                       "support_months_before": None}
    assert (enrolled.gender, enrolled.education) == ("woman", "unknown")  # the row keeps what was registered
    event = log_of(enrolled.id)[-1]
    assert event.data == {"education": "compulsory"} and event.personal == {"reason": "Fel nivå"}
    assert b"Fel niv" not in event.personal_enc


@pytest.mark.parametrize("data, field", [
    ({"gender": "man"}, "data.reason"),
    ({"gender": "man", "reason": ""}, "data.reason"),
    ({"gender": "robot", "reason": "Fel"}, "data.gender"),
    ({"education": "phd", "reason": "Fel"}, "data.education"),
    ({"birth_year": 1850, "reason": "Fel"}, "data.birth_year"),
    ({"reason": "Inget att rätta"}, "data.gender"),
])
def test_a_bad_fact_correction_writes_nothing(enrolled, data, field):
    before = count_events()
    with pytest.raises(ValidationFailed) as caught:
        append_event(enrolled, "facts_corrected", "2021-03-01", data)
    assert field in caught.value.errors
    assert count_events() == before


def test_a_gender_against_the_personnummer_is_a_warning_to_confirm(make_participant, team):
    person = make_participant(team, "Maja Man", WOMAN_1990)
    with pytest.raises(NeedsConfirmation) as caught:
        append_event(person, "facts_corrected", "2021-03-01", {"gender": "man", "reason": "Trodde fel"})
    assert caught.value.code == "facts.gender_contradicts_personnummer"
    assert list(caught.value.errors) == ["data.gender"]
    append_event(person, "facts_corrected", "2021-03-01", {"gender": "man", "reason": "Trodde fel"},
                 confirm_warnings=True)
    assert current_facts(person)["gender"] == "man"
    with pytest.raises(NeedsConfirmation) as caught:
        append_event(person, "facts_corrected", "2021-03-02", {"birth_year": 1991, "reason": "Fel år"})
    assert caught.value.code == "facts.birth_year_contradicts_personnummer"


def test_a_voided_fact_correction_restores_the_registered_value(enrolled, record):
    fix = record(enrolled, "facts_corrected", "2021-03-01", {"support_months_before": 40, "reason": "Fel"})
    correct_event(enrolled, fix.id, "Ångrat")
    assert current_facts(enrolled)["support_months_before"] is None


def test_an_identified_participant_is_found_by_personnummer(anonymous, team, coach):
    append_event(anonymous, "identified", "2021-02-01",
                 {"personal": {"name": "Ida Identifierad", "personnummer": WOMAN_1990},
                  "consents": ["documentation", "statistics"]}, user=coach)
    assert not anonymous.anonymous
    assert search_participants({team.id}, "900315-0423") == [anonymous]
    assert search_participants({team.id}, "ida ident") == [anonymous]
    assert display_name(anonymous) == "Ida Identifierad"


def test_identifying_with_a_registered_personnummer_is_refused(anonymous, participant):
    before = count_events()
    with pytest.raises(Conflict) as caught:
        append_event(anonymous, "identified", "2021-02-01",
                     {"personal": {"name": "Anna Igen", "personnummer": "19900101-0017"}})
    assert caught.value.code == "participant.personnummer_taken"
    assert "data.personal.personnummer" in caught.value.errors
    assert count_events() == before and anonymous.anonymous and anonymous.name_enc is None


@pytest.mark.parametrize("data, code, field", [
    ({"personal": {"name": "Ida", "personnummer": "19900315-0424"}}, "personnummer.invalid",
     "data.personal.personnummer"),
    ({"personal": {"personnummer": WOMAN_1990}}, "event.invalid", "data.personal.name"),
    ({"consents": ["statistics"]}, "identified.name_required", "data.personal.name"),
])
def test_a_bad_identification_writes_nothing(anonymous, data, code, field):
    before = count_events()
    with pytest.raises(ValidationFailed) as caught:
        append_event(anonymous, "identified", "2021-02-01", data)
    assert (caught.value.code, field in caught.value.errors) == (code, True)
    assert count_events() == before and anonymous.anonymous


def test_an_identified_participant_cannot_be_identified_again_nor_the_identification_voided(anonymous):
    event = append_event(anonymous, "identified", "2021-02-01", {"personal": {"name": "Ida Identifierad"}})
    with pytest.raises(ValidationFailed) as caught:
        append_event(anonymous, "identified", "2021-02-02", {"personal": {"name": "Ida Igen"}})
    assert caught.value.code == "participant.not_anonymous"
    with pytest.raises(ValidationFailed) as caught:
        correct_event(anonymous, event.id, "Fel person")
    assert caught.value.code == "event.identification_not_voidable"


def test_an_identification_against_the_facts_is_a_warning(make_participant, team):
    person = make_participant(team, name=None, gender="man", birth_year=1990)
    data = {"personal": {"name": "Ida Identifierad", "personnummer": WOMAN_1990}}
    with pytest.raises(NeedsConfirmation) as caught:
        append_event(person, "identified", "2021-02-01", data)
    assert caught.value.code == "facts.gender_contradicts_personnummer"
    assert person.anonymous
    append_event(person, "identified", "2021-02-01", data, confirm_warnings=True)
    assert not person.anonymous


# --- through the API -----------------------------------------------------------------------------

def test_the_api_answers_a_warning_with_its_code_until_confirmed(client, coach, bearer, make_participant, team,
                                                                 session):
    person = make_participant(team, "Maja Man", WOMAN_1990)
    headers = bearer(coach)
    session.commit()  # only a savepoint: kept past the refused request's rollback
    body = {"type": "facts_corrected", "date": "2021-03-01", "data": {"gender": "man", "reason": "Trodde fel"}}
    response = client.post(f"{API}/participants/{person.id}/events", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"] == "facts.gender_contradicts_personnummer"
    assert "data.gender" in response.get_json()["errors"]
    response = client.post(f"{API}/participants/{person.id}/events", json=body | {"confirm_warnings": True},
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["personal"] == {"reason": "Trodde fel"}


def test_the_api_identifies_and_refuses_a_taken_personnummer(client, coach, bearer, anonymous, participant, session):
    headers = bearer(coach)
    session.commit()
    taken = {"type": "identified", "date": "2021-02-01",
             "data": {"personal": {"name": "Anna Igen", "personnummer": "199001010017"}}}
    response = client.post(f"{API}/participants/{anonymous.id}/events", json=taken, headers=headers)
    assert response.status_code == 409
    assert "data.personal.personnummer" in response.get_json()["errors"]
    fine = {"type": "identified", "date": "2021-02-01",
            "data": {"personal": {"name": "Ida Identifierad", "personnummer": WOMAN_1990}, "consents": ["statistics"]}}
    assert client.post(f"{API}/participants/{anonymous.id}/events", json=fine, headers=headers).status_code == 201
    found = client.get(f"{API}/participants/{anonymous.id}", headers=headers).get_json()
    assert found["anonymous"] is False and found["personal"]["name"] == "Ida Identifierad"
