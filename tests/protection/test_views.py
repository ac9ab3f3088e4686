import json

import pytest
import sqlalchemy as sa

from casework.audit.models import AccessLogEntry
from casework.extensions import db
from casework.participants.service import personal_data
from casework.protection.models import LegalHold


@pytest.fixture
def lead(make_user, team):
    return make_user("team_lead", [team])


def test_the_team_lead_erases_with_a_reason_and_a_confirmation(exited_person, lead, login, client):
    login(lead)
    page = client.get(f"/protection/participants/{exited_person.id}")
    assert page.status_code == 200 and "Anna Exempel" in page.get_data(as_text=True)
    url = f"/protection/participants/{exited_person.id}/erase"
    wrong = client.post(url, data={"reason": "Begäran", "confirm": "fel"})
    assert wrong.status_code == 400 and "stämmer inte" in wrong.get_data(as_text=True)
    assert client.post(url, data={"reason": "", "confirm": exited_person.ref}).status_code == 400
    assert exited_person.erased_at is None
    done = client.post(url, data={"reason": "Begäran från den registrerade", "confirm": exited_person.ref})
    assert done.status_code == 302
    db.session.expire_all()
    assert exited_person.erased_at is not None
    page = client.get(f"/protection/participants/{exited_person.id}").get_data(as_text=True)
    assert "Raderad" in page and "Anna" not in page


def test_enrolled_needs_force_and_a_coach_cannot_erase(enrolled, lead, coach, login, client):
    url = f"/protection/participants/{enrolled.id}/erase"
    login(coach)
    assert client.post(url, data={"reason": "x", "confirm": enrolled.ref}).status_code == 403
    login(lead)
    refused = client.post(url, data={"reason": "Begäran", "confirm": enrolled.ref})
    assert refused.status_code == 400 and "fortfarande inskriven" in refused.get_data(as_text=True)
    assert enrolled.erased_at is None
    assert client.post(url, data={"reason": "Begäran", "confirm": enrolled.ref, "force": "y"}).status_code == 302


def test_outside_the_team_the_participant_does_not_exist(participant, make_user, make_team, login, client):
    login(make_user("team_lead", [make_team()]))
    assert client.get(f"/protection/participants/{participant.id}").status_code == 404
    login(make_user("auditor"))
    assert client.get(f"/protection/participants/{participant.id}/export.json").status_code == 404


def test_export_buttons_give_json_and_html_and_are_logged(participant, coach, login, client):
    login(coach)
    data = client.get(f"/protection/participants/{participant.id}/export.json")
    assert data.status_code == 200 and json.loads(data.data)["personal"]["name"] == "Anna Exempel"
    page = client.get(f"/protection/participants/{participant.id}/export.html")
    assert "Registerutdrag" in page.get_data(as_text=True)
    assert db.session.scalars(sa.select(AccessLogEntry.purpose)
                              .where(AccessLogEntry.participant_id == participant.id)).all().count("subject_access") == 2


def test_the_rectification_form(participant, coach, login, client):
    login(coach)
    url = f"/protection/participants/{participant.id}/rectify"
    form = client.get(url).get_data(as_text=True)
    assert "Anna Exempel" in form and "19900101-0017" in form
    bad = client.post(url, data={"name": "Anna Exempel", "personnummer": "19900101-0018"})
    assert bad.status_code == 400 and "Ogiltigt personnummer." in bad.get_data(as_text=True)
    ok = client.post(url, data={"name": "Anna Ny", "personnummer": "19900101-0017", "email": "anna@example.org"})
    assert ok.status_code == 302
    assert personal_data(participant, coach, "case_work").email == "anna@example.org"


def test_legal_hold_set_and_released(participant, lead, login, client):
    login(lead)
    assert client.post(f"/protection/participants/{participant.id}/hold", data={"reason": ""}).status_code == 400
    assert client.post(f"/protection/participants/{participant.id}/hold", data={"reason": "Tvist"}).status_code == 302
    hold = db.session.scalar(sa.select(LegalHold))
    assert hold.reason == "Tvist" and b"Tvist" not in hold.reason_enc
    assert client.post(f"/protection/participants/{participant.id}/release").status_code == 302
    assert db.session.scalar(sa.select(LegalHold.released_at)) is not None


def test_a_refused_form_still_logs_the_read_of_the_name(exited_person, lead, login, client):
    login(lead)
    refused = client.post(f"/protection/participants/{exited_person.id}/erase", data={"reason": "x", "confirm": "fel"})
    assert refused.status_code == 400 and "Anna Exempel" in refused.get_data(as_text=True)
    assert "data_protection" in db.session.scalars(sa.select(AccessLogEntry.purpose).where(
        AccessLogEntry.participant_id == exited_person.id)).all()
