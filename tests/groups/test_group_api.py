"""The group sessions API: record, list, read, correct; bad input 422 with nothing written, teams kept apart."""

import sqlalchemy as sa

from casework.events.models import Event
from casework.extensions import db
from casework.groups.models import GroupSession

API = "/api/v1/group-sessions"


def written() -> tuple[int, int]:
    return (db.session.scalar(sa.select(sa.func.count()).select_from(GroupSession)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Event)))


def body(team, people, **changes):
    return {"team": team.slug, "date": "2021-03-02", "kind": "meeting_point", "hours": 2,
            "attendees": [p.id for p in people], "note": "Fika och samtal", **changes}


def signed_in(bearer, user):
    headers = bearer(user)
    db.session.commit()
    return headers


def test_record_list_read_and_void(client, bearer, coach, team, enrol):
    people = enrol(2)
    headers = signed_in(bearer, coach)
    answer = client.post(API, json=body(team, people, leader=coach.id, id="G-1"), headers=headers)
    assert answer.status_code == 201, answer.get_json()
    made = answer.get_json()
    assert (made["ext_id"], made["hours"], made["voided"]) == ("G-1", 2, False)
    assert made["attendees"] == sorted(p.id for p in people) and "note" not in made
    listed = client.get(API, query_string={"team": team.slug}, headers=headers).get_json()
    assert [s["id"] for s in listed] == [made["id"]]
    assert client.get(f"{API}/{made['id']}", headers=headers).get_json() == made
    voided = client.post(f"{API}/{made['id']}/correction", json={"reason": "Inställd", "attendees": []},
                         headers=headers)
    assert voided.status_code == 201 and voided.get_json()["voided"] is True


def test_bad_input_is_422_and_writes_nothing(client, bearer, coach, team, enrol):
    people = enrol(1)
    headers = signed_in(bearer, coach)
    before = written()
    for changes, field in (({"hours": 0}, "hours"), ({"hours": 13}, "hours"), ({"kind": "bowling"}, "kind"),
                           ({"attendees": []}, "attendees"), ({"date": "2999-01-01"}, "date"),
                           ({"date": "2021-01-20"}, "attendees")):
        answer = client.post(API, json=body(team, people, **changes), headers=headers)
        assert answer.status_code == 422, changes
        assert field in answer.get_json()["errors"], (changes, answer.get_json())
    assert written() == before


def test_another_teams_session_is_not_found_and_other_roles_are_refused(client, bearer, coach, team, enrol,
                                                                        make_user, make_team):
    people = enrol(1)
    outsider = make_user("coach", [make_team()])
    analyst = make_user("analyst", federation=team.federation.name)
    made = client.post(API, json=body(team, people), headers=signed_in(bearer, coach)).get_json()
    as_outsider = signed_in(bearer, outsider)
    assert client.get(f"{API}/{made['id']}", headers=as_outsider).status_code == 404
    assert client.post(API, json=body(team, people), headers=as_outsider).status_code == 404
    assert client.get(API, query_string={"team": team.slug}, headers=signed_in(bearer, analyst)).status_code == 403
