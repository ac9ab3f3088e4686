"""Recording and correcting group sessions: one row, and an `activity` in each attendee's log.

Every attendance goes through `append_event` in the caller's transaction, so the log's own rules
apply; a correction of the session voids attendances with `correction` events and appends new
ones, never editing a row. Who attended and for how long are read back from the effective events.
"""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from numbers import Real

import sqlalchemy as sa

from casework.audit.access_log import log_access
from casework.auth.models import User
from casework.auth.permissions import is_team_staff
from casework.db import new_id
from casework.errors import NotFound, ValidationFailed
from casework.events.models import Event
from casework.events.ordering import voided_ids
from casework.events.registry import MAX_GROUP_HOURS
from casework.events.rules import check_date
from casework.events.service import (
    append_event,
    correct_event,
    log_of,
    register_participant_rule,
    state_of,
    states_of,
)
from casework.extensions import db
from casework.groups.models import GroupSession
from casework.participants.models import Participant
from casework.participants.service import names_of
from casework.text import text_problem
from casework.vocab import GROUP_SESSION_KINDS

# The session whose attendance this service is appending (see `check_session_of_activity`).
_recording: ContextVar[str | None] = ContextVar("group_session_recording", default=None)
MAX_EXT_ID = 64
MAX_REASON = 500


def register_rules() -> None:
    register_participant_rule("activity", check_session_of_activity)


def check_session_of_activity(participant, public, personal, **_) -> None:
    """An activity names a group session only when this service records the attendance: one
    typed as a single step (events API, import line) could skip the session's own checks."""
    session_id = public.get("group_session_id")
    if session_id is None:
        return
    if _recording.get() != session_id:
        raise ValidationFailed("group_session.attendance_via_session",
                               "Attendance at a group session is recorded through the session.", "group_session_id")
    session = db.session.get(GroupSession, session_id)
    if session is None or session.team_id != participant.team_id:
        raise ValidationFailed("group_session.not_found", "No such group session in this team.", "group_session_id")


def record_group_session(team, *, day, kind: str, hours, attendee_ids: list[str], leader_id: str | None = None,
                         note: str | None = None, user=None, ext_id: str | None = None) -> GroupSession:
    """One session and an attendance per attendee; raises ValidationFailed and writes nothing on bad input
    (every field at fault named at once, the first as the error's own field)."""
    try:
        known_day = check_date(day)
    except ValidationFailed:
        known_day = None  # refused below; the attendees are checked only against a valid date
    day, _, hours, leader, ext_id, attendees = all_checked(
        lambda: check_date(day), lambda: check_kind(kind), lambda: check_hours(hours),
        lambda: check_leader(team, leader_id), lambda: check_ext_id(team, ext_id),
        lambda: check_attendees(team, attendee_ids, known_day) if known_day else [])
    session_id = new_id()
    session = GroupSession(id=session_id, ext_id=ext_id or session_id, team_id=team.id, date=day, kind=kind,
                           leader_id=getattr(leader, "id", None), recorded_by_id=getattr(user, "id", None))
    db.session.add(session)
    db.session.flush()
    for participant in attendees:
        append_attendance(session, participant, hours, note, user)
    return session


def correct_group_session(session: GroupSession, *, reason: str, attendee_ids: list[str] | None = None,
                          hours=None, user=None) -> GroupSession:
    """Change the attendees or the hours, with a reason: attendances that no longer hold are voided
    and the new ones appended. Giving no attendees voids the whole session."""
    reason = check_reason(reason)
    current = attendances(session)
    if not current:
        raise ValidationFailed("group_session.void", "This group session is already voided.", "attendees")
    old_hours = next(iter(current.values())).data.get("hours")
    hours = old_hours if hours is None else check_hours(hours)
    wanted = check_attendees(session.team, attendee_ids, session.date, allow_none=True) if attendee_ids else []
    wanted_ids = {p.id for p in wanted}
    if wanted_ids == set(current) and hours == old_hours:
        raise ValidationFailed("group_session.unchanged", "The correction changes nothing.", "attendees")
    note = session_note(current, user) if set(wanted_ids) - set(current) or hours != old_hours else None
    for participant_id, event in current.items():
        if participant_id not in wanted_ids or hours != old_hours:
            correct_event(event.participant, event.id, reason, user=user)
    for participant in wanted:
        if participant.id not in current or hours != old_hours:
            append_attendance(session, participant, hours, note, user)
    return session


def session_note(current: dict[str, Event], user) -> str | None:
    """The note, read (and logged) from an attendee whose copy is readable, for the attendances added."""
    for participant_id, event in current.items():
        if event.note_enc is not None:
            log_access(user, [participant_id], "group_session")
            return event.note
    return None


def void_group_session(session: GroupSession, *, reason: str, user=None) -> GroupSession:
    return correct_group_session(session, reason=reason, attendee_ids=[], user=user)


def append_attendance(session: GroupSession, participant: Participant, hours, note, user) -> Event:
    data = {"kind": session.kind, "attended": True, "group_session_id": session.id, "hours": hours}
    token = _recording.set(session.id)
    try:
        return append_event(participant, "activity", session.date, data, note, user=user)
    finally:
        _recording.reset(token)


def attendances(session: GroupSession) -> dict[str, Event]:
    """The session's effective attendance events, by participant id."""
    candidates = db.session.scalars(sa.select(Event).where(
        Event.team_id == session.team_id, Event.type == "activity", Event.date == session.date)).all()
    mine = [e for e in candidates if e.data.get("group_session_id") == session.id]
    if not mine:
        return {}
    corrections = db.session.execute(sa.select(Event.id, Event.voids_event_id).where(
        Event.participant_id.in_({e.participant_id for e in mine}), Event.type == "correction")).all()
    voided = voided_ids((cid, target) for cid, target in corrections)
    return {e.participant_id: e for e in mine if e.id not in voided}


def get_group_session(session_id: str) -> GroupSession:
    """The session by id; the caller checks that its team is the user's."""
    session = db.session.get(GroupSession, session_id)
    if session is None:
        raise NotFound("group_session.not_found", "No such group session in this team.", "id")
    return session


def sessions_of(team, start: dt.date | None = None, end: dt.date | None = None) -> list[GroupSession]:
    query = sa.select(GroupSession).where(GroupSession.team_id == team.id)
    if start is not None:
        query = query.where(GroupSession.date >= start)
    if end is not None:
        query = query.where(GroupSession.date <= end)
    return list(db.session.scalars(query.order_by(GroupSession.date.desc(), GroupSession.recorded_at.desc())))


def all_checked(*checks):
    """The checks' results; if any refuses, one ValidationFailed naming every refused field."""
    results, refusals = [], []
    for check in checks:
        try:
            results.append(check())
        except ValidationFailed as exc:
            refusals.append(exc)
            results.append(None)
    if refusals:
        first = refusals[0]
        errors = {}
        for refusal in refusals:
            for field, messages in refusal.errors.items():
                errors.setdefault(field, []).extend(messages)
        raise ValidationFailed(first.code, str(first.message), first.field, errors=errors, **first.params)
    return results


def check_kind(kind) -> str:
    if kind not in GROUP_SESSION_KINDS:
        raise ValidationFailed("group_session.kind", "Unknown kind of group session.", "kind")
    return kind


def check_hours(hours) -> float | int:
    if isinstance(hours, bool) or not isinstance(hours, Real) or not 0 < hours <= MAX_GROUP_HOURS:
        raise ValidationFailed("group_session.hours", f"Hours must be more than 0 and at most {MAX_GROUP_HOURS}.", "hours",
                               max=MAX_GROUP_HOURS)
    return hours


def check_leader(team, leader_id: str | None) -> User | None:
    if leader_id is None:
        return None
    leader = db.session.get(User, leader_id)
    if leader is None or not is_team_staff(leader, team):
        raise ValidationFailed("group_session.leader", "The leader must be a coach or team lead of the team.",
                               "leader")
    return leader


def check_attendees(team, attendee_ids, day: dt.date, *, allow_none: bool = False) -> list[Participant]:
    """The attendees: participants of the team, each enrolled on `day`, none named twice."""
    ids = list(attendee_ids or [])
    if not ids and not allow_none:
        raise ValidationFailed("group_session.no_attendees", "Tick at least one attendee.", "attendees")
    if len(set(ids)) != len(ids):
        raise ValidationFailed("group_session.attendee_twice", "An attendee is named twice.", "attendees")
    found = {p.id: p for p in db.session.scalars(sa.select(Participant).where(Participant.id.in_(ids)))}
    if any(found.get(i) is None or found[i].team_id != team.id for i in ids):
        raise ValidationFailed("group_session.attendee_team", "An attendee is not a participant of this team.",
                               "attendees")
    attendees = [found[i] for i in ids]
    for participant in attendees:
        if not enrolled_on(participant, day):
            raise ValidationFailed("group_session.not_enrolled", "An attendee was not enrolled on the session's date.",
                                   "attendees")
    return attendees


def enrolled_on(participant: Participant, day: dt.date) -> bool:
    state = state_of(participant, log_of(participant.id))
    return any(e.enrolled_on <= day and (e.exited_on is None or day <= e.exited_on) for e in state.episodes)


def check_ext_id(team, ext_id: str | None) -> str | None:
    if ext_id is None:
        return None
    if not isinstance(ext_id, str) or not ext_id or len(ext_id) > MAX_EXT_ID or text_problem(ext_id):
        raise ValidationFailed("group_session.id", "Not a valid id.", "id")
    exists = db.session.scalar(sa.select(GroupSession.id).where(GroupSession.team_id == team.id,
                                                                GroupSession.ext_id == ext_id))
    if exists:
        raise ValidationFailed("group_session.id_taken", "A group session with this id exists.", "id")
    return ext_id


def check_reason(reason) -> str:
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON or text_problem(reason, True):
        raise ValidationFailed("group_session.reason", "Give a reason for the correction.", "reason")
    return reason.strip()


def enrolled_roster(team, day: dt.date, user, purpose: str = "group_session") -> list[tuple[Participant, str]]:
    """The team's participants enrolled on `day`, by name, for ticking attendees; the names read are logged."""
    participants = list(db.session.scalars(sa.select(Participant).where(Participant.team_id == team.id)))
    states = states_of(participants)
    enrolled = [p for p in participants if any(e.enrolled_on <= day and (e.exited_on is None or day <= e.exited_on)
                                               for e in states[p.id].episodes)]
    return named(enrolled, user, purpose)


def named(participants: list[Participant], user, purpose: str) -> list[tuple[Participant, str]]:
    names = names_of(participants)
    log_access(user, [p.id for p in participants if not p.anonymous and p.erased_at is None], purpose)
    return sorted(((p, names[p.id]) for p in participants), key=lambda pair: pair[1].casefold())


def leaders_of(team) -> list[User]:
    """The coaches and team leads of the team, who may lead a session."""
    users = db.session.scalars(sa.select(User).where(User.teams.any(id=team.id)).order_by(User.name, User.email))
    return [u for u in users if is_team_staff(u, team)]
