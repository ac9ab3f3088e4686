"""Retention (gallring): erase everyone whose team's retention time has passed, unless on legal hold.

Two rules, both from the team settings (DOMAIN.md §4, casework.teams.settings):
- `queue`: a person who left the queue without ever being enrolled (`referral_withdrawn`) is
  kept `queue_retention_months` (default 6) after their last entry;
- `retention`: everyone else who is not enrolled or waiting in the queue is kept
  `retention_years` (default 5) after their last entry.
The last entry is the latest date of any event in the log (corrections included), or the
registration date when the log is empty. Someone enrolled or in the queue is never due.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from casework.db import new_id, utcnow
from casework.errors import Conflict, PermissionDenied
from casework.events.models import Event
from casework.events.service import states_of
from casework.extensions import db
from casework.participants.models import Participant
from casework.protection import permissions
from casework.protection.erasure import check_reason, erase_participant
from casework.protection.models import LegalHold
from casework.teams.models import Team

RULE_LABELS = {"queue": "lämnade kön utan inskrivning", "retention": "gallringstiden efter senaste anteckning"}


@dataclass(frozen=True)
class Due:
    participant_id: str
    ref: str
    team_slug: str
    rule: str
    last_entry: dt.date
    due_on: dt.date

    def line(self) -> str:
        return f"{self.participant_id} {self.team_slug}/{self.ref} {self.rule} last entry {self.last_entry} due {self.due_on}"


def held_ids() -> set[str]:
    return set(db.session.scalars(sa.select(LegalHold.participant_id).where(LegalHold.released_at.is_(None))))


def _last_entries(team_id: str) -> dict[str, dt.date]:
    rows = db.session.execute(sa.select(Event.participant_id, sa.func.max(Event.date))
                              .where(Event.team_id == team_id).group_by(Event.participant_id))
    return dict(rows.all())


def due_for_erasure(today: dt.date | None = None) -> list[Due]:
    """Who is past retention today, team by team, oldest due first."""
    today = today or dt.date.today()
    held = held_ids()
    due = []
    for team in db.session.scalars(sa.select(Team).order_by(Team.slug)):
        settings = team.settings
        people = [p for p in db.session.scalars(sa.select(Participant).where(
            Participant.team_id == team.id, Participant.erased_at.is_(None))) if p.id not in held]
        if not people:
            continue
        states = states_of(people)
        last_entries = _last_entries(team.id)
        for person in people:
            state = states[person.id]
            if state.is_active or state.phase == "queued":
                continue
            last = last_entries.get(person.id) or person.created_at.date()
            if state.phase == "withdrawn" and not state.episodes:
                rule, due_on = "queue", last + relativedelta(months=settings.queue_retention_months)
            else:
                rule, due_on = "retention", last + relativedelta(years=settings.retention_years)
            if due_on <= today:
                due.append(Due(person.id, person.ref, team.slug, rule, last, due_on))
    return sorted(due, key=lambda d: (d.due_on, d.team_slug, d.ref))


def enforce_retention(today: dt.date | None = None, *, dry_run: bool = False) -> list[Due]:
    """Erase everyone due (idempotent: the erased are no longer candidates). Flushes only."""
    due = due_for_erasure(today)
    if not dry_run:
        for item in due:
            participant = db.session.get(Participant, item.participant_id)
            erase_participant(participant, f"Gallring: {RULE_LABELS[item.rule]} ({item.last_entry.isoformat()})",
                              None, kind="retention")
    return due


def active_hold(participant: Participant) -> LegalHold | None:
    return db.session.scalar(sa.select(LegalHold).where(LegalHold.participant_id == participant.id,
                                                        LegalHold.released_at.is_(None)))


def set_legal_hold(participant: Participant, reason: str, user=None) -> LegalHold:
    if user is not None and not permissions.can_set_legal_hold(user, participant):
        raise PermissionDenied("legal_hold.team_lead_only",
                               "Only a team lead of the participant's team may set a legal hold.")
    reason = check_reason(reason)
    if participant.erased_at is not None:
        raise Conflict("participant.already_erased", "The participant is already erased.", "participant")
    if active_hold(participant):
        raise Conflict("legal_hold.already_held", "The participant is already on legal hold.", "participant")
    hold = LegalHold(id=new_id(), participant_id=participant.id, set_by_id=getattr(user, "id", None))
    hold.set_reason(reason)
    db.session.add(hold)
    db.session.flush()
    return hold


def release_legal_hold(participant: Participant, user=None) -> LegalHold:
    if user is not None and not permissions.can_set_legal_hold(user, participant):
        raise PermissionDenied("legal_hold.release_team_lead_only",
                               "Only a team lead of the participant's team may release a legal hold.")
    hold = active_hold(participant)
    if hold is None:
        raise Conflict("legal_hold.none", "The participant is not on legal hold.", "participant")
    hold.released_at = utcnow()
    hold.released_by_id = getattr(user, "id", None)
    db.session.flush()
    return hold
