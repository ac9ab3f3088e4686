"""Private iCalendar feeds: one secret-token URL per referrer or coach (only its hash is stored).

A feed carries initials, team and time only: no name, personnummer or note. Building it decrypts
names (for the initials), so every fetch is written to the access log.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from icalendar import Calendar
from icalendar import Event as VEvent

from casework.auth.models import ApiToken
from casework.auth.service import issue_token, revoke_tokens, user_for_token
from casework.db import utcnow
from casework.errors import PermissionDenied
from casework.extensions import db
from casework.schedule import service

PURPOSE = "calendar"
LOG_PURPOSE = "calendar_feed"
LOCAL = ZoneInfo("Europe/Stockholm")
MEETING = dt.timedelta(hours=1)


def renew_feed(user) -> str:
    """Revoke the user's feed token, if any, and return a new one (shown once)."""
    service.require_referrer_or_staff(user)
    revoke_tokens(user, PURPOSE)
    return issue_token(user, PURPOSE)


def revoke_feed(user) -> int:
    return revoke_tokens(user, PURPOSE)


def has_feed(user) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.purpose == PURPOSE, ApiToken.revoked_at.is_(None))) > 0


def feed_user(token: str):
    """The feed's owner, or None for an unknown or revoked token (or a user no longer entitled)."""
    user = user_for_token(token, PURPOSE) if token else None
    if user is None:
        return None
    try:
        service.require_referrer_or_staff(user)
    except PermissionDenied:
        return None
    return user


def feed_for(user, today: dt.date | None = None) -> bytes:
    entries = service.with_names(service.schedule_for(user, today), user, LOG_PURPOSE)
    cal = Calendar()
    cal.add("prodid", "-//Casework//Uppfoljningar//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Uppföljningar")
    stamp = utcnow().replace(microsecond=0)
    for entry in entries:
        event = _booked(entry, stamp) if entry.open_booking else _due(entry, stamp)
        if event is not None:
            cal.add_component(event)
    return cal.to_ical()


def _summary(entry, what: str) -> str:
    return f"{what}: {entry.initials} ({entry.participant.team.name})"


def _booked(entry, stamp) -> VEvent:
    booking = entry.open_booking
    event = VEvent()
    event.add("uid", f"{booking.event_id}@casework")
    event.add("dtstamp", stamp)
    event.add("summary", _summary(entry, "Uppföljning"))
    if booking.scheduled_time:
        start = dt.datetime.combine(booking.scheduled_for, dt.time.fromisoformat(booking.scheduled_time), LOCAL)
        event.add("dtstart", start.astimezone(dt.UTC))
        event.add("dtend", (start + MEETING).astimezone(dt.UTC))
    else:
        event.add("dtstart", booking.scheduled_for)
        event.add("dtend", booking.scheduled_for + dt.timedelta(days=1))
    return event


def _due(entry, stamp) -> VEvent | None:
    if entry.next_due is None:
        return None
    event = VEvent()
    event.add("uid", f"due-{entry.participant.id}-{entry.next_due.isoformat()}@casework")
    event.add("dtstamp", stamp)
    event.add("summary", _summary(entry, "Uppföljning att boka"))
    event.add("dtstart", entry.next_due)
    event.add("dtend", entry.next_due + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return event
