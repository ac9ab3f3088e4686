import datetime as dt
import re
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from icalendar import Calendar

from casework.audit.models import AccessLogEntry
from casework.extensions import db


def _new_feed_url(client) -> str:
    page = client.post("/schedule/feed").get_data(as_text=True)
    return re.search(r"<code>http://casework\.test(/schedule/feed/[^<]+\.ics)</code>", page).group(1)


def test_feed_carries_initials_team_and_time_only(app, client, login, team, referrer, referred, bearer, today):
    officer = referrer()
    booked = referred(team, officer.email, name="Ada Andersson")
    due = referred(team, officer.email, name="Bert Berg", months=1)
    auth = bearer(officer)
    db.session.commit()
    day = today + dt.timedelta(days=5)
    api = app.test_client()
    assert api.post("/api/v1/schedule/bookings", json={"participant_id": booked.id, "scheduled_for": day.isoformat(),
                                                       "scheduled_time": "10:00"}, headers=auth).status_code == 201
    login(officer)
    url = _new_feed_url(client)
    response = app.test_client().get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert not re.search(r"Ada|Andersson|Bert|Berg|19900101", text)
    calendar = Calendar.from_ical(response.data)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Uppföljning: AA (Kraften Test)", "Uppföljning att boka: BB (Kraften Test)"}
    start = events["Uppföljning: AA (Kraften Test)"].decoded("dtstart")
    assert start == dt.datetime.combine(day, dt.time(10, 0), ZoneInfo("Europe/Stockholm"))
    assert events["Uppföljning att boka: BB (Kraften Test)"].decoded("dtstart") == \
        today - relativedelta(months=1) + relativedelta(months=3)
    logged = set(db.session.scalars(sa.select(AccessLogEntry.participant_id)
                                    .where(AccessLogEntry.purpose == "calendar_feed")))
    assert logged == {booked.id, due.id}


def test_renewed_or_revoked_feed_tokens_are_404_and_disclose_nothing(app, client, login, team, referrer, referred):
    officer = referrer()
    referred(team, officer.email, name="Ada Andersson")
    db.session.commit()
    login(officer)
    first = _new_feed_url(client)
    second = _new_feed_url(client)
    outsider = app.test_client()
    assert outsider.get(first).status_code == 404
    assert outsider.get(second).status_code == 200
    assert client.post("/schedule/feed/revoke").status_code == 303
    gone = outsider.get(second)
    assert gone.status_code == 404 and "Ada" not in gone.get_data(as_text=True) and "AA" not in gone.get_data(as_text=True)
    assert outsider.get("/schedule/feed/not-a-token.ics").status_code == 404


def test_an_api_token_is_not_a_feed_token(app, team, referrer, bearer):
    officer = referrer()
    token = bearer(officer)["Authorization"].split()[1]
    db.session.commit()
    assert app.test_client().get(f"/schedule/feed/{token}.ics").status_code == 404


def test_a_coachs_feed_holds_the_teams_schedule(app, client, login, team, coach, referred):
    referred(team, "someone@example.org", name="Ada Andersson")
    db.session.commit()
    login(coach)
    url = _new_feed_url(client)
    calendar = Calendar.from_ical(app.test_client().get(url).data)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Uppföljning att boka: AA (Kraften Test)"]
