"""The group session pages: tick the enrolled attendees, see the session, correct it."""

import sqlalchemy as sa

from casework.audit.models import AccessLogEntry
from casework.extensions import db
from casework.groups.models import GroupSession
from casework.groups.service import attendances


def test_the_form_lists_those_enrolled_on_the_date_and_records_the_ticked(client, login, coach, team, enrol):
    early, late = enrol(1, on="2021-02-01")[0], enrol(1, on="2021-04-01")[0]
    login(coach)
    page = client.get("/group-sessions/new", query_string={"team": team.slug, "date": "2021-03-02"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'value="{early.id}"' in text and f'value="{late.id}"' not in text
    answer = client.post("/group-sessions/new", data={
        "team": team.slug, "action": "record", "date": "2021-03-02", "kind": "forest_group", "hours": "2,5",
        "leader": coach.id, "attendees": [early.id], "note": "Eld och korv"})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    session = db.session.scalar(sa.select(GroupSession))
    assert set(attendances(session)) == {early.id}
    assert attendances(session)[early.id].data["hours"] == 2.5
    shown = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Deltagare 0" in shown
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AccessLogEntry)) > 0


def test_bad_input_shows_the_error_on_its_field_and_writes_nothing(client, login, coach, team, enrol):
    person = enrol(1)[0]
    login(coach)
    for data, message in (({"hours": "13", "attendees": [person.id]}, "högst 12"),
                          ({"hours": "2", "attendees": []}, "Kryssa i minst en deltagare"),
                          ({"hours": "2", "attendees": [person.id], "date": "2021-01-20"}, "inte inskriven")):
        answer = client.post("/group-sessions/new", data={
            "team": team.slug, "action": "record", "date": "2021-03-02", "kind": "meeting_point", **data})
        text = answer.get_data(as_text=True)
        assert answer.status_code == 400 and message in text, text
        assert 'class="error-summary"' in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GroupSession)) == 0


def test_every_field_at_fault_is_named_at_once(client, login, coach, team, enrol):
    enrol(1)
    login(coach)
    answer = client.post("/group-sessions/new", data={"team": team.slug, "action": "record", "date": "2021-03-02"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert all(message in text for message in ("Okänt slag av gruppträff", "högst 12", "Kryssa i minst en deltagare"))


def test_unticking_everyone_voids_the_session(client, login, coach, team, enrol):
    people = enrol(2)
    login(coach)
    client.post("/group-sessions/new", data={"team": team.slug, "action": "record", "date": "2021-03-02",
                                            "kind": "gym", "hours": "1", "attendees": [p.id for p in people]})
    session = db.session.scalar(sa.select(GroupSession))
    answer = client.post(f"/group-sessions/{session.id}", data={"hours": "1", "reason": "Inställd"})
    assert answer.status_code == 303
    assert attendances(session) == {}
    assert "makulerad" in client.get("/group-sessions", query_string={"team": team.slug}).get_data(as_text=True)


def test_another_teams_coach_finds_nothing(client, login, coach, team, enrol, make_user, make_team):
    people = enrol(1)
    login(coach)
    client.post("/group-sessions/new", data={"team": team.slug, "action": "record", "date": "2021-03-02",
                                            "kind": "gym", "hours": "1", "attendees": [p.id for p in people]})
    session = db.session.scalar(sa.select(GroupSession))
    client.post("/logout")
    login(make_user("coach", [make_team()]))
    assert client.get(f"/group-sessions/{session.id}").status_code == 404
    assert client.get("/group-sessions", query_string={"team": team.slug}).status_code == 404
