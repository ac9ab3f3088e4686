"""The follow-up schedule: whose participants a user sees, what is due, booking and closing.

Everything is derived from the event log: a booking is a `follow_up` event with status `booked`;
marking it held or cancelled is another `follow_up` event (which closes the earliest open
booking, as `ParticipantState` replays it).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from casework.audit.access_log import log_access
from casework.auth.permissions import staff_team_ids
from casework.errors import Conflict, NeedsConfirmation, NotFound, PermissionDenied, ValidationFailed
from casework.events.models import Event
from casework.events.service import STATE_COLUMNS, LogEntry, append_event, check_date, effective, states_of
from casework.events.state import ParticipantState
from casework.extensions import db
from casework.participants.models import Participant
from casework.participants.service import names_of
from casework.protection.consent import has_consent
from casework.schedule.links import belongs_to, candidate_participant_ids, current_links, sync_links
from casework.schedule.models import ReferrerLink
from casework.text import is_identifier

DUE_SOON_DAYS = 30
ON_TIME_DAYS = 14
NOTE_MAX = 500
SHARING = "information_sharing"


@dataclass
class Booking:
    event_id: str
    booked_on: dt.date
    scheduled_for: dt.date
    scheduled_time: str | None
    outcome: str | None = None  # held / cancelled, None while open
    closed_on: dt.date | None = None


@dataclass
class Entry:
    """One participant's line in a schedule: a snapshot of what was read, so what is derived
    from it (due date, open booking) is worked out once however often a page shows it."""

    participant: Participant
    state: ParticipantState
    link: ReferrerLink | None
    today: dt.date
    bookings: list[Booking] = field(default_factory=list)
    held: list[dt.date] = field(default_factory=list)
    name: str | None = None

    @cached_property
    def next_due(self) -> dt.date | None:
        return self.state.next_follow_up_due

    @cached_property
    def open_booking(self) -> Booking | None:
        open_ = [b for b in self.bookings if b.outcome is None]
        return min(open_, key=lambda b: (b.scheduled_for, b.scheduled_time or "")) if open_ else None

    @cached_property
    def overdue(self) -> bool:
        return self.next_due is not None and self.next_due < self.today

    @cached_property
    def due_soon(self) -> bool:
        return self.next_due is not None and not self.overdue and \
            self.next_due <= self.today + dt.timedelta(days=DUE_SOON_DAYS)

    @property
    def referrer_org(self) -> str | None:
        return self.state.referrer_org

    @property
    def referrer_label(self) -> str | None:
        if self.link is None:
            return None
        return self.link.user.label if self.link.user is not None else None

    @property
    def initials(self) -> str:
        if not self.name or self.participant.anonymous or self.participant.erased_at is not None:
            return "–"
        return "".join(part[0].upper() for part in self.name.split() if part[:1].isalpha()) or "–"

    def sort_key(self):
        return (not self.overdue, self.next_due or dt.date.max, self.participant.ref)


def follow_up_history(events: list) -> tuple[list[Booking], list[dt.date]]:
    """Bookings with their outcome, and the dates of held follow-ups, of the current episode.

    Mirrors `ParticipantState`: a held or cancelled follow-up closes the earliest open booking.
    """
    return _history(effective(events))


def _history(effective_events: list) -> tuple[list[Booking], list[dt.date]]:
    """`follow_up_history` of a log whose corrections are resolved already (`effective`)."""
    bookings: list[Booking] = []
    held: list[dt.date] = []
    for event in effective_events:
        if event.type in ("enrolled", "exited"):
            bookings, held = [], []
        if event.type != "follow_up":
            continue
        status = event.data.get("status")
        if status == "booked":
            bookings.append(Booking(event.id, event.date, dt.date.fromisoformat(event.data["scheduled_for"]),
                                    event.data.get("scheduled_time")))
            continue
        if status == "held":
            held.append(event.date)
        open_ = [b for b in bookings if b.outcome is None]
        if open_:
            first = min(open_, key=lambda b: (b.scheduled_for, b.scheduled_time or ""))
            first.outcome, first.closed_on = status, event.date
    return bookings, held


def _logs_of(ids: list[str]) -> dict[str, list[LogEntry]]:
    """The participants' logs, with only what a schedule reads (no ciphertexts), per 500 ids."""
    found: dict[str, list[LogEntry]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        query = sa.select(*STATE_COLUMNS).where(Event.participant_id.in_(ids[start:start + 500]))
        for row in db.session.execute(query):
            found[row[1]].append(LogEntry(*row))
    return found


def _entries(participants: list[Participant], today: dt.date, logs: dict[str, list] | None = None) -> list[Entry]:
    """The participants' lines: each log read once (or taken from `logs`, by participant id),
    folded once into a state and once into bookings; the links and their users in one query."""
    logs = _logs_of([p.id for p in participants]) if logs is None else logs
    states = states_of(participants, {p.id: logs.get(p.id, []) for p in participants})
    effective_logs = {p.id: effective(logs.get(p.id, [])) for p in participants}
    links = current_links(effective_logs)
    entries = []
    for p in participants:
        bookings, held = _history(effective_logs[p.id])
        entries.append(Entry(p, states[p.id], links[p.id], today, bookings, held))
    return entries


def referrer_sees(entry: Entry, user) -> bool:
    """A referrer sees an enrolled participant they are the current referrer of, while the
    participant's consent to information sharing holds."""
    p = entry.participant
    return (belongs_to(entry.link, user) and p.erased_at is None and entry.state.is_active
            and has_consent(entry.state, SHARING))


def schedule_for(user, today: dt.date | None = None, *, team_ids: set[str] | None = None,
                 logs: dict[str, list] | None = None) -> list[Entry]:
    """The follow-up schedule the user may see (no names yet), overdue first, then by due date.

    `logs`: the logs of the teams in `team_ids` (`team_log_entries`) when the caller has read them.
    """
    today = today or dt.date.today()
    sync_links()
    if getattr(user, "role", None) == "referrer":
        ids = candidate_participant_ids(user)
        participants = list(db.session.scalars(sa.select(Participant).where(Participant.id.in_(ids)))) if ids else []
        entries = [e for e in _entries(participants, today) if referrer_sees(e, user)]
    else:
        allowed = staff_team_ids(user)
        teams = allowed if team_ids is None else allowed & team_ids
        participants = list(db.session.scalars(
            sa.select(Participant).where(Participant.team_id.in_(teams), Participant.erased_at.is_(None)))) if teams else []
        entries = [e for e in _entries(participants, today, logs) if e.state.is_active]
    return sorted(entries, key=Entry.sort_key)


def with_names(entries: list[Entry], user, purpose: str) -> list[Entry]:
    """Decrypt the names shown, and write the read to the access log (one row per participant)."""
    names = names_of([e.participant for e in entries])
    for entry in entries:
        entry.name = names[entry.participant.id]
    log_access(user, [e.participant.id for e in entries if not e.participant.anonymous], purpose)
    return entries


def entry_for(user, participant_id: str, today: dt.date | None = None) -> Entry:
    """One participant's schedule line, if the user may act on it; NotFound discloses nothing."""
    participant = db.session.get(Participant, participant_id) if _is_id(participant_id) else None
    if participant is None:
        raise NotFound("schedule.participant_not_found", "No such participant in your schedule.", "participant")
    sync_links()
    entry = _entries([participant], today or dt.date.today())[0]
    if getattr(user, "role", None) == "referrer":
        if not referrer_sees(entry, user):
            raise NotFound("schedule.participant_not_found", "No such participant in your schedule.", "participant")
    elif participant.team_id not in staff_team_ids(user):
        raise NotFound("schedule.participant_not_found", "No such participant in your schedule.", "participant")
    return entry


def _time_text(value) -> str:
    """A booking's time, HH:MM: required, so that referrer, coach and participant meet at one hour."""
    if value in (None, ""):
        raise ValidationFailed("follow_up.time_required", "Give the time of the follow-up (HH:MM).",
                               "scheduled_time")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    try:
        return dt.datetime.strptime(str(value), "%H:%M").strftime("%H:%M")
    except ValueError:
        raise ValidationFailed("time.invalid", "Not a time (HH:MM).", "scheduled_time") from None


def _date(value, field_name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed("date.invalid", "Not a date (YYYY-MM-DD).", field_name) from None


def book(user, participant_id: str, scheduled_for, scheduled_time=None, *, today: dt.date | None = None) -> Event:
    """Book the next follow-up: a `follow_up` event with status `booked`, dated today."""
    today = today or dt.date.today()
    entry = entry_for(user, participant_id, today)
    scheduled_for = _date(scheduled_for, "scheduled_for")
    time_text = _time_text(scheduled_time)
    _check_bookable(entry, scheduled_for, today, time_text)
    if entry.open_booking is not None:
        raise Conflict("follow_up.already_booked",
                       "A follow-up is already booked; change that booking instead.", "participant")
    return _append_booking(entry, user, scheduled_for, time_text, today)


def reschedule(user, booking_id: str, scheduled_for, scheduled_time=None, *, today: dt.date | None = None) -> Event:
    """Move an open booking: it is cancelled and a new one booked (two events, nothing edited)."""
    today = today or dt.date.today()
    entry, booking = find_booking(user, booking_id, today)
    scheduled_for = _date(scheduled_for, "scheduled_for")
    time_text = _time_text(scheduled_time or booking.scheduled_time)  # a new day alone keeps the hour
    _check_open(entry, booking)
    _check_bookable(entry, scheduled_for, today, time_text)
    note = None if entry.participant.anonymous else "Ombokad"
    append_event(entry.participant, "follow_up", today, {"status": "cancelled"}, note, user=user)
    return _append_booking(entry, user, scheduled_for, time_text, today)


def close(user, booking_id: str, status: str, note: str | None = None, held_on=None, *,
          today: dt.date | None = None, confirm_early: bool = False) -> Event:
    """Mark a booked follow-up held or cancelled, with an optional short note.

    Held is recorded on the booked day, or on `held_on`. A booking whose day has not come is held
    earlier only when the user confirms it (`confirm_early`), and then recorded today (or on
    `held_on`): a follow-up is never dated in the future.
    """
    today = today or dt.date.today()
    if status not in ("held", "cancelled"):
        raise ValidationFailed("follow_up.status_invalid", "Status must be held or cancelled.", "status")
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise ValidationFailed("follow_up.note_too_long", f"The note may be at most {NOTE_MAX} characters.", "note",
                               max=NOTE_MAX)
    entry, booking = find_booking(user, booking_id, today)
    _check_open(entry, booking)
    if status == "held":
        if booking.scheduled_for > today and not held_on and not confirm_early:
            raise NeedsConfirmation("follow_up.held_early",
                                    f"The follow-up is booked for {booking.scheduled_for}, which has not come yet; "
                                    "confirm that it was held today.", "status",
                                    date=booking.scheduled_for.isoformat())
        day = _date(held_on, "held_on") if held_on else min(booking.scheduled_for, today)
        if day > today:
            raise ValidationFailed("follow_up.held_before_date",
                                   "A follow-up cannot be marked held before its date.", "held_on")
        if day < booking.booked_on:
            raise ValidationFailed("follow_up.held_before_booking",
                                   "A follow-up cannot be held before it was booked.", "held_on")
    else:
        day = today
    check_date(day, today)
    if entry.participant.anonymous:
        note = None
    return append_event(entry.participant, "follow_up", day, {"status": status}, note, user=user)


def _is_id(value) -> bool:
    """Ids come from posted forms: anything else is not looked up (a NUL would fail in PostgreSQL)."""
    return isinstance(value, str) and is_identifier(value)


def find_booking(user, booking_id: str, today: dt.date) -> tuple[Entry, Booking]:
    event = db.session.get(Event, booking_id) if _is_id(booking_id) else None
    if event is None or event.type != "follow_up" or event.data.get("status") != "booked":
        raise NotFound("schedule.booking_not_found", "No such booking in your schedule.", "booking")
    try:
        entry = entry_for(user, event.participant_id, today)
    except NotFound:
        raise NotFound("schedule.booking_not_found", "No such booking in your schedule.", "booking") from None
    booking = next((b for b in entry.bookings if b.event_id == event.id), None)
    if booking is None:
        raise NotFound("schedule.booking_earlier_enrolment", "This booking belongs to an earlier enrolment.", "booking")
    return entry, booking


def _check_open(entry: Entry, booking: Booking) -> None:
    if booking.outcome == "cancelled":
        raise Conflict("follow_up.cancelled",
                       "This follow-up was cancelled; it cannot be changed or marked held.", "booking")
    if booking.outcome == "held":
        raise Conflict("follow_up.already_held", "This follow-up is already marked held.", "booking")
    if entry.open_booking is not booking:
        raise Conflict("follow_up.earlier_open", "An earlier booked follow-up must be closed first.", "booking")


def _check_bookable(entry: Entry, scheduled_for: dt.date, today: dt.date, time_text: str) -> None:
    if not entry.state.is_active:
        raise ValidationFailed("participant.not_enrolled", "The participant is not enrolled.", "participant")
    if scheduled_for < today:
        raise ValidationFailed("date.passed", "The date has already passed.", "scheduled_for")
    if scheduled_for == dt.date.today() and time_text < dt.datetime.now().strftime("%H:%M"):
        raise ValidationFailed("follow_up.time_passed", "The time has already passed today.", "scheduled_time")
    if scheduled_for > today + relativedelta(years=1):
        raise ValidationFailed("follow_up.too_far_ahead",
                               "A follow-up is booked at most a year ahead.", "scheduled_for")


def _append_booking(entry: Entry, user, scheduled_for: dt.date, time_text: str, today: dt.date) -> Event:
    data = {"status": "booked", "scheduled_for": scheduled_for.isoformat(), "scheduled_time": time_text}
    return append_event(entry.participant, "follow_up", today, data, None, user=user)


def require_referrer_or_staff(user) -> None:
    if getattr(user, "role", None) != "referrer" and not staff_team_ids(user):
        raise PermissionDenied("schedule.role_denied",
                               "The follow-up schedule is for referrers, coaches and team leads.")
