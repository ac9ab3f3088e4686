"""Recording and correcting group sessions: one row, an attendance in each attendee's log."""

import datetime as dt

import pytest
import sqlalchemy as sa

from casework.errors import ValidationFailed
from casework.events.models import Event
from casework.events.service import decrypted_timeline
from casework.extensions import db
from casework.groups.models import GroupSession
from casework.groups.permissions import can_record_group_session
from casework.groups.service import attendances, correct_group_session, record_group_session, void_group_session

DAY = dt.date(2021, 3, 2)


def counts() -> tuple[int, int]:
    return (db.session.scalar(sa.select(sa.func.count()).select_from(GroupSession)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Event)))


def session_of(team, people, coach, **changes):
    values = dict(day=DAY, kind="forest_group", hours=2, attendee_ids=[p.id for p in people], leader_id=coach.id,
                  note="Promenad till tjärnen", user=coach)
    return record_group_session(team, **{**values, **changes})


def test_each_attendee_gets_an_activity_naming_the_session(team, coach, enrol):
    people = enrol(3)
    session = session_of(team, people, coach)
    events = attendances(session)
    assert set(events) == {p.id for p in people}
    for event in events.values():
        assert event.type == "activity" and event.date == DAY
        assert event.data == {"kind": "forest_group", "attended": True, "group_session_id": session.id, "hours": 2}
        assert event.note == "Promenad till tjärnen"
        assert b"tj\xc3\xa4rnen" not in event.note_enc
    timeline = decrypted_timeline(people[0], coach, "test")
    assert [row["event"].data.get("group_session_id") for row in timeline][0] == session.id
    assert session.leader_id == coach.id and session.ext_id == session.id


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"day": dt.date.today() + dt.timedelta(days=1)}, "date.in_future", "date"),
    ({"hours": 0}, "group_session.hours", "hours"),
    ({"hours": 12.5}, "group_session.hours", "hours"),
    ({"hours": True}, "group_session.hours", "hours"),
    ({"kind": "individual"}, "group_session.kind", "kind"),
    ({"attendee_ids": []}, "group_session.no_attendees", "attendees"),
    ({"day": dt.date(2021, 1, 20)}, "group_session.not_enrolled", "attendees"),
])
def test_bad_input_is_refused_and_nothing_is_written(team, coach, enrol, changes, code, field):
    people = enrol(2)
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        session_of(team, people, coach, **changes)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert counts() == before


def test_an_attendee_of_another_team_is_refused(team, coach, enrol, make_team):
    mine = enrol(1)
    theirs = enrol(1, of=make_team())
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        session_of(team, [*mine, *theirs], coach)
    assert refused.value.code == "group_session.attendee_team"
    assert counts() == before


def test_an_attendee_who_had_left_is_refused(team, coach, enrol, record):
    people = enrol(2)
    record(people[1], "exited", "2021-03-01", {"category": "work", "subtype": "unsubsidised",
                                               "income_sources": ["salary"]})
    with pytest.raises(ValidationFailed) as refused:
        session_of(team, people, coach)
    assert refused.value.code == "group_session.not_enrolled"


def test_the_leader_is_staff_of_the_team(team, coach, enrol, make_user, make_team):
    people = enrol(1)
    stranger = make_user("coach", [make_team()])
    with pytest.raises(ValidationFailed) as refused:
        session_of(team, people, coach, leader_id=stranger.id)
    assert refused.value.code == "group_session.leader"


def test_voiding_corrects_every_attendance(team, coach, enrol):
    people = enrol(3)
    session = session_of(team, people, coach)
    void_group_session(session, reason="Träffen blev inställd", user=coach)
    assert attendances(session) == {}
    corrections = db.session.scalars(sa.select(Event).where(Event.type == "correction")).all()
    assert len(corrections) == 3 and {c.participant_id for c in corrections} == {p.id for p in people}
    with pytest.raises(ValidationFailed) as refused:
        void_group_session(session, reason="Igen", user=coach)
    assert refused.value.code == "group_session.void"


def test_changing_attendees_voids_the_removed_and_adds_the_new(team, coach, enrol):
    people = enrol(3)
    session = session_of(team, people[:2], coach)
    kept = attendances(session)[people[0].id]
    correct_group_session(session, reason="Fel deltagare ikryssad", attendee_ids=[people[0].id, people[2].id],
                          user=coach)
    now = attendances(session)
    assert set(now) == {people[0].id, people[2].id}
    assert now[people[0].id].id == kept.id
    assert now[people[2].id].note == "Promenad till tjärnen"


def test_changing_hours_replaces_every_attendance(team, coach, enrol):
    people = enrol(2)
    session = session_of(team, people, coach)
    correct_group_session(session, reason="Tre timmar, inte två", attendee_ids=[p.id for p in people], hours=3,
                          user=coach)
    assert {e.data["hours"] for e in attendances(session).values()} == {3}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(Event.type == "correction")) == 2


def test_a_correction_needs_a_reason_and_a_change(team, coach, enrol):
    people = enrol(1)
    session = session_of(team, people, coach)
    with pytest.raises(ValidationFailed) as no_reason:
        correct_group_session(session, reason=" ", attendee_ids=[people[0].id], hours=3)
    with pytest.raises(ValidationFailed) as no_change:
        correct_group_session(session, reason="Ingen ändring", attendee_ids=[people[0].id])
    assert (no_reason.value.code, no_change.value.code) == ("group_session.reason", "group_session.unchanged")


def test_an_attendance_is_recorded_only_through_its_session(team, coach, enrol, make_team, make_user, record):
    other = make_team()
    theirs = record_group_session(other, day=DAY, kind="gym", hours=1, attendee_ids=[enrol(1, of=other)[0].id])
    person = enrol(1)[0]
    for session_id in (theirs.id, "no-such-session"):
        with pytest.raises(ValidationFailed) as refused:
            record(person, "activity", "2021-03-02", {"kind": "gym", "group_session_id": session_id, "hours": 1})
        assert refused.value.code == "group_session.attendance_via_session"


def test_coaches_and_team_leads_of_the_team_may_record(team, coach, make_user, make_team):
    assert can_record_group_session(coach, team)
    assert can_record_group_session(make_user("team_lead", [team]), team)
    assert not can_record_group_session(make_user("coach", [make_team()]), team)
    assert not can_record_group_session(make_user("analyst", federation=team.federation.name), team)
