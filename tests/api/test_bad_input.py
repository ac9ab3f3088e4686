"""The "Bad input" of issue 2 through the API: a 4xx JSON answer naming the field, nothing written."""

import datetime as dt

import pytest

API = "/api/v1"
INTAKE = {"gender": "woman", "birth_year": 1990, "personal": {"name": "Nora Ny"},
          "first_step": {"type": "referral_received", "date": "2021-01-05", "data": {"referrer_org": "fk"}}}
FUTURE = (dt.date.today() + dt.timedelta(days=3)).isoformat()


def _refused(response, status, field):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == status and body["status"] and body["message"] and body["error"]
    if field:
        assert field in body["errors"], body
    return body


@pytest.mark.parametrize("change, field", [
    ({"personal": {"name": "Nora Ny", "personnummer": "19900101-0018"}}, "personnummer"),
    ({"personal": {"name": "Nora Ny", "personnummer": "tjugo"}}, "personal.personnummer"),
    ({"first_step": {"type": "referral_received", "date": FUTURE, "data": {"referrer_org": "fk"}}}, "date"),
    ({"first_step": {"type": "enrolled", "date": "2021-01-05"}}, "first_step.type"),
    ({"first_step": {"type": "referral_received", "date": "2021-01-05", "data": {"referrer_org": "bank"}}},
     "data.referrer_org"),
    ({"gender": "unknown"}, "gender"),
    ({"first_step": None}, "first_step"),
    ({"favourite_colour": "blue"}, "favourite_colour"),
])
def test_bad_registration_is_refused(client, coach, bearer, counts, change, field):
    headers = bearer(coach)
    before = counts()
    _refused(client.post(f"{API}/teams/kraften-test/participants", json=INTAKE | change, headers=headers), 422, field)
    assert counts() == before


def test_registration_in_an_unknown_team_is_refused(client, coach, bearer, counts):
    before = counts()
    _refused(client.post(f"{API}/teams/no-such-team/participants", json=INTAKE, headers=bearer(coach)), 404, "team")
    assert counts() == before


def test_a_second_person_with_the_same_personnummer_is_a_conflict(client, coach, bearer, participant, counts):
    headers = bearer(coach)
    before = counts()
    body = INTAKE | {"personal": {"name": "Anna Exempel", "personnummer": "199001010017"}}
    _refused(client.post(f"{API}/teams/kraften-test/participants", json=body, headers=headers), 409, "personnummer")
    assert counts() == before


@pytest.mark.parametrize("event, field", [
    ({"type": "assessment", "date": FUTURE}, "date"),
    ({"type": "assessment", "date": "2021-13-01"}, "date"),
    ({"type": "trial_completed", "date": "2021-01-20"}, "date"),
    ({"type": "enrolled", "date": "2021-03-01"}, "type"),
    ({"type": "exited", "date": "2021-06-01", "data": {}}, "data.category"),
    ({"type": "exited", "date": "2021-06-01", "data": {"category": "lottery_win"}}, "data.category"),
    ({"type": "exited", "date": "2021-06-01", "data": {"category": "work", "surprise": 1}}, "data.surprise"),
    ({"type": "teleported", "date": "2021-06-01"}, "type"),
    ({"type": "correction", "date": "2021-06-01", "data": {"voids": "x", "reason": "y"}}, "type"),
    ({"date": "2021-06-01"}, "type"),
    ({"type": "activity", "date": "2021-06-01", "data": "yes"}, "data"),
])
def test_bad_step_for_an_enrolled_participant_is_refused(client, coach, bearer, enrolled, counts, event, field):
    headers = bearer(coach)
    before = counts()
    _refused(client.post(f"{API}/participants/{enrolled.id}/events", json=event, headers=headers), 422, field)
    assert counts() == before


@pytest.mark.parametrize("event", [
    {"type": "follow_up", "date": "2021-03-01", "data": {"status": "held"}},
    {"type": "exited", "date": "2021-03-01", "data": {"category": "work"}},
])
def test_follow_up_or_exit_needs_an_enrolment(client, coach, bearer, participant, record, counts, event):
    record(participant, "referral_received", "2021-01-05", {"referrer_org": "fk"})
    headers = bearer(coach)
    before = counts()
    body = _refused(client.post(f"{API}/participants/{participant.id}/events", json=event, headers=headers), 422,
                    "date")
    assert body["error"] == "event.requires_enrolment"
    assert counts() == before


def test_bad_corrections_are_refused(client, coach, bearer, enrolled, counts):
    from casework.events.service import log_of

    headers = bearer(coach)
    target = log_of(enrolled.id)[-1]
    before = counts()
    url = f"{API}/participants/{enrolled.id}/events"
    _refused(client.post(f"{url}/{target.id}/correction", json={}, headers=headers), 422, "reason")
    _refused(client.post(f"{url}/{target.id}/correction", json={"reason": ""}, headers=headers), 422, "reason")
    _refused(client.post(f"{url}/{target.id}/correction", json={"reason": "x", "date": "2021-01-01"},
                         headers=headers), 422, "date")
    missing = _refused(client.post(f"{url}/no-such-event/correction", json={"reason": "x"}, headers=headers), 404, None)
    assert missing["error"] == "event.not_found"
    assert counts() == before
    assert client.post(f"{url}/{target.id}/correction", json={"reason": "x"}, headers=headers).status_code == 201
    _refused(client.post(f"{url}/{target.id}/correction", json={"reason": "x"}, headers=headers), 422, "voids")


def test_a_body_that_is_not_json_gets_400(client, coach, bearer, enrolled, counts):
    headers = bearer(coach) | {"Content-Type": "application/json"}
    before = counts()
    response = client.post(f"{API}/participants/{enrolled.id}/events", data="{not json", headers=headers)
    assert response.status_code == 400 and response.get_json()["code"] == 400
    assert counts() == before


def test_a_bad_query_parameter_gets_422(client, coach, bearer):
    _refused(client.get(f"{API}/teams/kraften-test/participants?phase=sleeping", headers=bearer(coach)), 422, "phase")
