"""Appending to and correcting a participant's log; deriving its state.

The log is append-only: a mistake is fixed by a `correction` that voids an earlier event. What
may follow the log so far is decided in `casework.events.rules`, which the importer applies too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial
from typing import TYPE_CHECKING

import sqlalchemy as sa
from marshmallow import ValidationError

from casework.audit.access_log import log_access
from casework.db import new_id
from casework.errors import NotFound, ValidationFailed, flatten_messages
from casework.events.entries import STATE_COLUMNS, LogEntry
from casework.events.instruments import on_team_scale
from casework.events.models import Event
from casework.events.ordering import effective, sort_key, voided_ids
from casework.events.projection import kept_states
from casework.events.registry import event_type, validate_payload
from casework.events.rules import check_correction, check_date, check_identifying, check_note, problems_appended
from casework.events.state import ParticipantState, fold_state, replay
from casework.events.team_scales import check_team_scale
from casework.extensions import db

if TYPE_CHECKING:
    from collections.abc import Callable

    from casework.participants.models import Participant

# Rules of an event type that read more than the log (the participant's personal data, other
# participants), by type. Higher layers register them at start-up (participants: `identified`,
# `facts_corrected`), so every way in that appends through `append_event` applies them.
# A rule is called as rule(participant, public, personal, user=..., confirm_warnings=...) before the
# event is added; it raises to refuse, and may update the participant (identification).
PARTICIPANT_RULES: dict[str, Callable] = {}


def register_participant_rule(type_name: str, rule: Callable) -> None:
    PARTICIPANT_RULES[type_name] = rule


def validated_payload(type_name: str, data: dict | None) -> tuple[dict, dict]:
    try:
        return validate_payload(type_name, data)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"data": exc.messages}
        if "type" not in messages:
            messages = {k if k == "data" else f"data.{k}": v for k, v in flatten_messages(messages).items()}
        raise ValidationFailed("event.invalid", "Invalid event.", errors=messages) from None


def build_event(participant: Participant, type_name: str, day: dt.date, public: dict, personal: dict,
                note: str | None, *, seq: int, ext_id: str | None = None, user=None,
                voids_event_id: str | None = None) -> Event:
    """An Event object with its personal parts encrypted; not yet added to the session."""
    return Event(**event_values(participant, type_name, day, public, personal, note, seq=seq, ext_id=ext_id,
                                user=user, voids_event_id=voids_event_id))


def event_values(participant: Participant, type_name: str, day: dt.date, public: dict, personal: dict,
                 note: str | None, *, seq: int, ext_id: str | None = None, user=None,
                 voids_event_id: str | None = None, encrypters=None) -> dict:
    """The column values of a new event, personal parts encrypted (what `build_event` builds from).

    Kept apart so that a bulk import can insert many rows without making an ORM object each;
    it passes `encrypters`, (`Event.personal.encrypter(pid)`, `Event.note.encrypter(pid)`), made
    once per participant.
    """
    event_id = new_id()
    pid = participant.id
    encryptable = participant.erased_at is None
    note = check_note(note)
    check_identifying(personal, note, anonymous=participant.anonymous, erased=not encryptable)
    encrypt_personal, encrypt_note = encrypters or (partial(Event.personal.encrypt, pid), partial(Event.note.encrypt, pid))
    return dict(
        id=event_id, ext_id=ext_id or event_id, team_id=participant.team_id, participant_id=pid, seq=seq,
        type=type_name, date=day, data=public, voids_event_id=voids_event_id,
        personal_enc=encrypt_personal(event_id, personal) if encryptable else None,
        note_enc=encrypt_note(event_id, note or None) if encryptable else None,
        recorded_by_id=getattr(user, "id", None),
    )


def log_of(participant_id: str) -> list[Event]:
    return list(db.session.scalars(sa.select(Event).where(Event.participant_id == participant_id)
                                   .order_by(Event.seq)))


def state_of(participant: Participant, events: list[Event] | None = None) -> ParticipantState:
    events = log_of(participant.id) if events is None else events
    state, _ = replay(effective(events), follow_up_interval_months=participant.team.settings.follow_up_interval_months)
    return state


def states_of(participants: list[Participant],
              logs: dict[str, list[LogEntry]] | None = None) -> dict[str, ParticipantState]:
    """Derived states of many participants, each team's settings read once.

    Read from the state projection (one row per participant, `casework.events.projection`), or,
    when the caller has read the logs already (`team_log_entries`), folded from them by `fold_state`.
    """
    intervals = team_intervals(participants)
    if logs is None:
        return {pid: kept.state for pid, kept in kept_states(participants, intervals).items()}
    return {p.id: fold_state(logs.get(p.id, []), follow_up_interval_months=intervals[p.team_id])
            for p in participants}


def team_intervals(participants: list[Participant]) -> dict[str, int]:
    """The follow-up interval of each participant's team, by team id."""
    intervals: dict[str, int] = {}
    for participant in participants:
        if participant.team_id not in intervals:
            intervals[participant.team_id] = participant.team.settings.follow_up_interval_months
    return intervals


def log_entries(participant_id: str) -> list[LogEntry]:
    """One participant's log as the rules read it (no ciphertexts, no ORM objects), in `seq` order."""
    query = sa.select(*STATE_COLUMNS).where(Event.participant_id == participant_id).order_by(Event.seq)
    return [LogEntry(*row) for row in db.session.execute(query)]


def team_log_entries(team_ids: list[str]) -> dict[str, list[LogEntry]]:
    """Every log of the teams, by participant id, in one query (what deriving a state reads)."""
    logs: dict[str, list[LogEntry]] = defaultdict(list)
    for row in db.session.execute(sa.select(*STATE_COLUMNS).where(Event.team_id.in_(team_ids))):
        logs[row[1]].append(LogEntry(*row))
    return logs


def append_event(participant: Participant, type_name: str, day, data: dict | None = None,
                 note: str | None = None, *, user=None, ext_id: str | None = None,
                 confirm_warnings: bool = False) -> Event:
    """Validate and append one event; raises ValidationFailed and writes nothing on bad input.

    `confirm_warnings`: the user has seen and confirmed the type's warnings (a gender that
    contradicts the personnummer…); without it a warning refuses the event like an error.
    """
    if type_name == "correction":
        raise ValidationFailed("event.use_correction", "Use a correction to void an event.", "type")
    settings = participant.team.settings
    with on_team_scale(settings):
        public, personal = validated_payload(type_name, data)
    check_team_scale(settings, type_name, public)
    if not event_type(type_name).recordable:
        raise ValidationFailed("event.system_only", "This event type is recorded by the system only.", "type")
    day = check_date(day)
    lock_log(participant)
    existing = log_entries(participant.id)
    event = build_event(participant, type_name, day, public, personal, note, seq=_next_seq(existing),
                        ext_id=ext_id, user=user)
    problems = problems_appended(existing, event,
                                 follow_up_interval_months=participant.team.settings.follow_up_interval_months)
    if problems:
        raise ValidationFailed.from_message(problems[0].message, problems[0].field)
    if rule := PARTICIPANT_RULES.get(type_name):
        rule(participant, public, personal, user=user, confirm_warnings=confirm_warnings)
    db.session.add(event)
    db.session.flush()
    return event


def correct_event(participant: Participant, target_id: str, reason: str, *, user=None,
                  day: dt.date | None = None) -> Event:
    """Void one earlier event of the same participant, with a reason (a new event, nothing edited)."""
    lock_log(participant)
    existing = log_of(participant.id)
    target = next((e for e in existing if target_id in (e.id, e.ext_id)), None)
    if target is None:
        raise NotFound("event.not_found", "No such event in this participant's log.", "voids")
    day = check_correction(target, existing, day or dt.date.today())
    public, personal = validated_payload("correction", {"voids": target.ext_id, "reason": reason})
    event = build_event(participant, "correction", day, public, personal, None, seq=_next_seq(existing),
                        user=user, voids_event_id=target.id)
    db.session.add(event)
    db.session.flush()
    return event


def lock_log(participant: Participant) -> None:
    """Serialise appends to one participant's log until the transaction ends.

    Two concurrent appends would otherwise read the same log and take the same `seq`. On
    PostgreSQL the participant's row is locked (SELECT ... FOR UPDATE; the statements after it
    see what the other writer committed). SQLite has no row locks and ignores FOR UPDATE; there a
    request's transaction holds the database's write lock from BEGIN (see casework.db). The row
    is selected through the participant's own mapped class, so this layer needs no import of it.
    """
    model = type(participant)
    db.session.execute(sa.select(model.id).where(model.id == participant.id).with_for_update())


def _next_seq(existing: list[Event] | list[LogEntry]) -> int:
    return max((e.seq for e in existing), default=0) + 1


def decrypted_timeline(participant: Participant, user, purpose: str, *, log: bool = True) -> list[dict]:
    """The whole log, newest first, with notes and personal payload decrypted (and the read logged).

    `log=False` is for a caller that has already logged this read in the same view (the
    participant page logs once, through `personal_data`).
    """
    events = log_of(participant.id)
    voided = voided_ids((e.id, e.voids_event_id) for e in events if e.type == "correction")
    readable = participant.erased_at is None
    if log and readable and not participant.anonymous:
        log_access(user, [participant.id], purpose)
    rows = []
    for event in sorted(events, key=sort_key, reverse=True):
        rows.append({
            "event": event, "voided": event.id in voided, "label": event_type(event.type).label,
            "note": event.note if readable else None,
            "personal": event.personal if readable else {},
        })
    return rows
