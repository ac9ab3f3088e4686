import datetime as dt

from casework.events.service import log_of, state_of
from casework.extensions import db


def _follow_ups(p):
    return [e for e in log_of(p.id) if e.type == "follow_up"]


def test_referrer_books_moves_and_marks_held_through_the_api(client, team, referrer, referred, bearer, today):
    officer = referrer()
    p = referred(team, officer.email)
    auth = bearer(officer)
    day = (today + dt.timedelta(days=10)).isoformat()
    response = client.post("/api/v1/schedule/bookings", json={"participant_id": p.id, "scheduled_for": day,
                                                              "scheduled_time": "09:30"}, headers=auth)
    assert response.status_code == 201, response.get_json()
    booking = response.get_json()
    assert (booking["status"], booking["scheduled_for"], booking["scheduled_time"]) == ("booked", day, "09:30")
    assert state_of(p).next_booking[0].isoformat() == day

    schedule = client.get("/api/v1/schedule", headers=auth).get_json()
    assert schedule["participants"][0]["booking"]["booking_id"] == booking["booking_id"]

    later = (today + dt.timedelta(days=20)).isoformat()
    moved = client.patch(f"/api/v1/schedule/bookings/{booking['booking_id']}", json={"scheduled_for": later},
                         headers=auth)
    assert moved.status_code == 200, moved.get_json()
    moved = moved.get_json()
    assert moved["scheduled_for"] == later and moved["booking_id"] != booking["booking_id"]
    assert [e.data["status"] for e in _follow_ups(p)] == ["booked", "cancelled", "booked"]

    early = client.patch(f"/api/v1/schedule/bookings/{moved['booking_id']}", json={"status": "held"}, headers=auth)
    assert early.status_code == 422 and early.get_json()["error"] == "follow_up.held_early"
    assert [e.data["status"] for e in _follow_ups(p)] == ["booked", "cancelled", "booked"]
    held = client.patch(f"/api/v1/schedule/bookings/{moved['booking_id']}",
                        json={"status": "held", "note": "Bra möte", "confirm_early": True}, headers=auth)
    assert held.status_code == 200, held.get_json()
    assert held.get_json()["status"] == "held"
    assert state_of(p).episode.last_held_follow_up == today


def test_marking_held_a_cancelled_follow_up_is_refused_and_writes_nothing(client, team, referrer, referred, bearer, today):
    officer = referrer()
    p = referred(team, officer.email)
    auth = bearer(officer)
    db.session.commit()
    booking = client.post("/api/v1/schedule/bookings", json={"participant_id": p.id, "scheduled_for": today.isoformat(),
                                                             "scheduled_time": "23:59"}, headers=auth).get_json()
    assert client.patch(f"/api/v1/schedule/bookings/{booking['booking_id']}", json={"status": "cancelled"},
                        headers=auth).status_code == 200
    before = len(log_of(p.id))
    response = client.patch(f"/api/v1/schedule/bookings/{booking['booking_id']}", json={"status": "held"}, headers=auth)
    assert response.status_code == 409
    assert "cancelled" in response.get_json()["message"]
    assert len(log_of(p.id)) == before


def test_bad_bookings_are_refused_with_clear_messages(client, team, referrer, referred, bearer, make_participant,
                                                      record, today, ago):
    officer = referrer()
    p = referred(team, officer.email)
    auth = bearer(officer)
    db.session.commit()  # a refused request rolls back what is not committed
    before = len(log_of(p.id))

    past = client.post("/api/v1/schedule/bookings", json={"participant_id": p.id, "scheduled_time": "10:00",
                                                          "scheduled_for": (today - dt.timedelta(days=1)).isoformat()},
                       headers=auth)
    assert past.status_code == 422 and past.get_json()["errors"] == {"scheduled_for": ["The date has already passed."]}

    no_time = client.post("/api/v1/schedule/bookings", json={"participant_id": p.id,
                                                             "scheduled_for": (today + dt.timedelta(days=1)).isoformat()},
                          headers=auth)
    assert no_time.status_code == 422 and list(no_time.get_json()["errors"]) == ["scheduled_time"]

    bad_time = client.post("/api/v1/schedule/bookings", json={"participant_id": p.id, "scheduled_for": today.isoformat(),
                                                              "scheduled_time": "25:00"}, headers=auth)
    assert bad_time.status_code == 422

    missing = client.post("/api/v1/schedule/bookings", json={"scheduled_for": today.isoformat(),
                                                              "scheduled_time": "23:59"}, headers=auth)
    assert missing.status_code == 422

    queued = make_participant(team, "Kö Person")
    record(queued, "referral_received", ago(0, 5), {"referrer_org": "fk", "referrer": {"email": officer.email}})
    db.session.commit()
    not_enrolled = client.post("/api/v1/schedule/bookings", json={"participant_id": queued.id,
                                                                  "scheduled_for": today.isoformat(),
                                                              "scheduled_time": "23:59"}, headers=auth)
    assert not_enrolled.status_code == 404  # not in a referrer's schedule before enrolment

    other = referred(team, "someone.else@example.org", name="Annan Person")
    db.session.commit()
    not_own = client.post("/api/v1/schedule/bookings", json={"participant_id": other.id,
                                                             "scheduled_for": today.isoformat(),
                                                              "scheduled_time": "23:59"}, headers=auth)
    assert not_own.status_code == 404 and "Annan" not in not_own.get_data(as_text=True)
    assert len(log_of(p.id)) == before and len(log_of(other.id)) == 2 and len(log_of(queued.id)) == 1


def test_a_coach_cannot_book_for_a_participant_who_is_not_enrolled(client, team, coach, make_participant, record,
                                                                  bearer, ago, today):
    queued = make_participant(team, "Kö Person")
    record(queued, "referral_received", ago(0, 5), {"referrer_org": "fk"})
    auth = bearer(coach)
    db.session.commit()
    response = client.post("/api/v1/schedule/bookings", json={"participant_id": queued.id,
                                                              "scheduled_for": today.isoformat(),
                                                              "scheduled_time": "23:59"}, headers=auth)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"participant": ["The participant is not enrolled."]}


def test_a_second_open_booking_is_a_conflict(client, team, referrer, referred, bearer, today):
    officer = referrer()
    p = referred(team, officer.email)
    auth = bearer(officer)
    body = {"participant_id": p.id, "scheduled_for": today.isoformat(), "scheduled_time": "23:59"}
    db.session.commit()
    assert client.post("/api/v1/schedule/bookings", json=body, headers=auth).status_code == 201
    assert client.post("/api/v1/schedule/bookings", json=body, headers=auth).status_code == 409


def test_schedule_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/schedule", "/api/v1/schedule/bookings", "/api/v1/schedule/bookings/{booking_id}"} <= set(paths)


def test_anonymous_api_calls_get_json_401(client):
    response = client.get("/api/v1/schedule")
    assert response.status_code == 401 and response.is_json
