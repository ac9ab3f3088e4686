import datetime as dt

import sqlalchemy as sa

from casework.audit.models import AccessLogEntry
from casework.events.service import log_of
from casework.extensions import db
from casework.schedule import overview


def _log_rows(user):
    return list(db.session.scalars(sa.select(AccessLogEntry).where(AccessLogEntry.user_id == user.id)))


def test_referrer_page_lists_own_participants_and_logs_each_view(client, login, team, referrer, referred, record, ago):
    officer = referrer()
    mine = referred(team, officer.email, name="Ada Andersson", months=4)
    record(mine, "activity", ago(0, 3), {"kind": "meeting_point"}, note="Hemlig anteckning om hälsan")
    referred(team, "annan@example.org", name="Bert Berg")
    db.session.commit()
    login(officer)
    page = client.get("/schedule").get_data(as_text=True)
    assert "Ada Andersson" in page and "Kraften Test" in page
    assert "Bert Berg" not in page and "Hemlig anteckning" not in page
    assert "försenad" in page  # enrolled 4 months ago, every 3 months
    rows = _log_rows(officer)
    assert [(r.participant_id, r.route, r.purpose) for r in rows] == [(mine.id, "schedule.mine", "follow_up_schedule")]


def test_booking_from_the_page_and_bad_input_answered_on_the_page(client, login, team, referrer, referred, today):
    officer = referrer()
    p = referred(team, officer.email)
    db.session.commit()
    login(officer)
    two_days_ago = (today - dt.timedelta(days=2)).isoformat()
    past = client.post(f"/schedule/{p.id}/book", data={"scheduled_for": two_days_ago, "scheduled_time": "10:00"})
    text = past.get_data(as_text=True)
    assert past.status_code == 422 and "Datum: Datumet har redan passerat." in text
    assert f'value="{two_days_ago}"' in text and 'value="10:00"' in text  # what was typed is kept
    no_time = client.post(f"/schedule/{p.id}/book", data={"scheduled_for": (today + dt.timedelta(days=3)).isoformat()})
    assert no_time.status_code == 422 and "Tid: Ange en tid för uppföljningen" in no_time.get_data(as_text=True)
    assert len(log_of(p.id)) == 2
    day = (today + dt.timedelta(days=7)).isoformat()
    ok = client.post(f"/schedule/{p.id}/book", data={"scheduled_for": day, "scheduled_time": "13:15"})
    assert ok.status_code == 303
    page = client.get("/schedule").get_data(as_text=True)
    assert f"{day} 13:15" in page
    booking = log_of(p.id)[-1]
    assert booking.data == {"status": "booked", "scheduled_for": day, "scheduled_time": "13:15"}
    assert booking.recorded_by_id == officer.id
    asked = client.post(f"/schedule/bookings/{booking.id}/close", data={"status": "cancelled", "note": "Sjuk"})
    assert asked.status_code == 200 and f"Ställa in uppföljningen {day}?" in asked.get_data(as_text=True)
    assert 'name="confirm"' in asked.get_data(as_text=True) and 'value="Sjuk"' in asked.get_data(as_text=True)
    assert len(log_of(p.id)) == 3  # nothing written before the confirmation
    cancelled = client.post(f"/schedule/bookings/{booking.id}/close",
                            data={"status": "cancelled", "note": "Sjuk", "confirm": "1"})
    assert cancelled.status_code == 303
    again = client.post(f"/schedule/bookings/{booking.id}/close", data={"status": "held"})
    assert again.status_code == 409 and "Uppföljningen är inställd" in again.get_data(as_text=True)
    assert [e.data["status"] for e in log_of(p.id)[2:]] == ["booked", "cancelled"]


def test_held_on_a_future_booking_asks_first_and_then_records_today(client, login, team, referrer, referred, today):
    officer = referrer()
    p = referred(team, officer.email)
    db.session.commit()
    login(officer)
    day = (today + dt.timedelta(days=5)).isoformat()
    assert client.post(f"/schedule/{p.id}/book", data={"scheduled_for": day, "scheduled_time": "09:00"}).status_code == 303
    booking = log_of(p.id)[-1]
    asked = client.post(f"/schedule/bookings/{booking.id}/close", data={"status": "held"})
    assert asked.status_code == 200
    assert f"Uppföljningen är bokad till {day}, som inte har kommit än. Hölls den redan i dag" in asked.get_data(as_text=True)
    assert len(log_of(p.id)) == 3
    held = client.post(f"/schedule/bookings/{booking.id}/close", data={"status": "held", "confirm": "1"})
    assert held.status_code == 303
    last = log_of(p.id)[-1]
    assert (last.data, last.date) == ({"status": "held"}, today)


def test_names_on_the_coachs_schedule_pages_link_to_the_participant(client, login, team, coach, referred):
    p = referred(team, "handlaggare@example.org", name="Ada Andersson")
    db.session.commit()
    login(coach)
    link = f'<a href="/participants/{p.id}">Ada Andersson</a>'
    assert link in client.get("/schedule").get_data(as_text=True)
    assert link in client.get("/schedule/team").get_data(as_text=True)


def test_withdrawn_information_sharing_consent_hides_the_participant(client, login, team, referrer, referred, record,
                                                                     bearer, ago):
    """(The API calls come before the session sign-in: a signed-in session takes precedence.)"""
    officer = referrer()
    p = referred(team, officer.email, name="Ada Andersson")
    auth = bearer(officer)
    db.session.commit()
    assert [r["participant_id"] for r in client.get("/api/v1/schedule", headers=auth).get_json()["participants"]] == [p.id]
    record(p, "consent_withdrawn", ago(0, 1), {"scope": "information_sharing"})
    db.session.commit()
    assert client.get("/api/v1/schedule", headers=auth).get_json()["participants"] == []
    login(officer)
    assert "Ada Andersson" not in client.get("/schedule").get_data(as_text=True)


def test_coach_hands_a_participant_over_to_another_officer(app, client, login, team, coach, referrer, referred, bearer,
                                                           ago, today):
    old, new = referrer(), referrer()
    p = referred(team, old.email, name="Ada Andersson")
    old_auth, new_auth = bearer(old), bearer(new)
    db.session.commit()
    login(coach)
    response = client.post("/schedule/team/handover", data={
        "participant_id": p.id, "date": ago(0, 1), "referrer_org": "af", "name": "Ny Handläggare", "email": new.email.upper()})
    assert response.status_code == 303
    api = app.test_client()  # without the coach's session
    assert api.get("/api/v1/schedule", headers=old_auth).get_json()["participants"] == []
    rows = api.get("/api/v1/schedule", headers=new_auth).get_json()["participants"]
    assert [(r["participant_id"], r["referrer_org"]) for r in rows] == [(p.id, "af")]
    bad = client.post("/schedule/team/handover", data={"participant_id": p.id,
                                                       "date": (today + dt.timedelta(days=3)).isoformat(),
                                                               "referrer_org": "fk", "email": old.email})
    assert bad.status_code == 422 and "Datumet ligger i framtiden." in bad.get_data(as_text=True)
    assert log_of(p.id)[-1].type == "referrer_changed" and log_of(p.id)[-1].data == {"referrer_org": "af"}


def test_team_overview_shows_overdue_by_referrer_and_share_held_on_time(client, login, make_team, make_user, referrer,
                                                                        referred, record, ago):
    team = make_team("ov-team", "Översiktsteamet", follow_up_interval_months=3)
    coach = make_user("coach", [team])
    officer = referrer()
    late = referred(team, officer.email, name="Ada Andersson", months=5)          # overdue, never held
    on_time = referred(team, officer.email, name="Bert Berg", months=4, org="af")
    record(on_time, "follow_up", ago(1, 0), {"status": "held"})                   # due 1 month ago: on time
    too_late = referred(team, "x@example.org", name="Cia Ek", months=5, org="soc")
    record(too_late, "follow_up", ago(1, 0), {"status": "held"})                  # due 2 months ago: late
    db.session.commit()
    login(coach)
    page = client.get("/schedule/team").get_data(as_text=True)
    assert "Ada Andersson" in page and "Översiktsteamet" in page
    assert "<strong>1 av 3</strong> (33 %)" in page and "hållna totalt: 2" in page
    assert "Ej registrerad remittent" in page and officer.label in page
    logged = {r.participant_id for r in _log_rows(coach)}
    assert logged == {late.id, on_time.id, too_late.id}


def test_referrers_have_no_team_overview(client, login, referrer):
    officer = referrer()
    db.session.commit()
    login(officer)
    assert client.get("/schedule/team").status_code == 403


def test_held_on_time_counts_due_dates_in_the_window_as_the_reports_do(make_team, make_participant, record):
    team = make_team("ot-team", "I tid", follow_up_interval_months=3)
    a = make_participant(team, "A")
    record(a, "referral_received", "2024-01-02", {"referrer_org": "fk"})
    record(a, "enrolled", "2024-01-10", {"consents": []})
    record(a, "follow_up", "2024-04-20", {"status": "held"})    # due 04-10: on time (10 days)
    record(a, "follow_up", "2024-08-10", {"status": "held"})    # due 07-20: late (21 days)
    record(a, "exited", "2024-09-01", {"category": "work"})      # next due 11-10 is after the exit
    b = make_participant(team, "B")
    record(b, "referral_received", "2023-11-20", {"referrer_org": "af"})
    record(b, "enrolled", "2023-12-01", {"consents": []})       # due 2024-03-01: before the window
    result = overview.held_on_time(team, dt.date(2024, 4, 1), dt.date(2024, 9, 30))
    # a: due 04-10 (held on time), 07-20 (held late); b: due 03-01 outside, then unanswered: stops
    assert {k: result[k] for k in ("due", "held", "held_on_time", "share")} == \
        {"due": 2, "held": 2, "held_on_time": 1, "share": 0.5}
