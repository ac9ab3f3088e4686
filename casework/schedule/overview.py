"""The team's overview for coaches and team leads: what is overdue or due soon, by referrer and
organisation, and the share of follow-ups held on time over the last half-year."""

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from casework.auth.permissions import TEAM_STAFF
from casework.errors import NotFound, ValidationFailed
from casework.events.models import Event
from casework.events.service import append_event, effective
from casework.extensions import db
from casework.participants.service import get_participant
from casework.schedule import service
from casework.schedule.links import NO_EMAIL
from casework.vocab import REFERRER_ORGS


def teams_of(user) -> list:
    return list(user.teams) if getattr(user, "role", None) in TEAM_STAFF else []


def chosen_team(teams: list, slug: str | None):
    return next((t for t in teams if t.slug == slug), teams[0])


def team_overview(user, team, purpose: str, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    entries = service.with_names(service.schedule_for(user, today, team_ids={team.id}), user, purpose)
    return {
        "entries": entries,
        "overdue": [e for e in entries if e.overdue],
        "due_soon": [e for e in entries if e.due_soon],
        "by_referrer": by_referrer(entries),
        "on_time": held_on_time(team, today - relativedelta(months=6), today),
        "orgs": REFERRER_ORGS,
    }


def by_referrer(entries) -> list[dict]:
    """Overdue and due-soon counts per (organisation, referrer account); unlinked ones apart."""
    groups: dict[tuple, dict] = defaultdict(lambda: {"overdue": 0, "due_soon": 0, "participants": 0})
    for entry in entries:
        org = entry.referrer_org or "other"
        named = entry.link is not None and entry.link.email_index != NO_EMAIL
        label = entry.referrer_label or ("Ej registrerad remittent" if named else "Ingen remittent angiven")
        group = groups[(REFERRER_ORGS.get(org, org), label)]
        group["participants"] += 1
        group["overdue"] += entry.overdue
        group["due_soon"] += entry.due_soon
    return [{"org": org, "referrer": label, **counts} for (org, label), counts in sorted(groups.items())]


def held_on_time(team, start: dt.date, end: dt.date) -> dict:
    """Follow-ups held in [start, end], and those held within ON_TIME_DAYS of their due date.

    The due date of each held follow-up is the interval after the enrolment or the previous held
    follow-up of the same enrolment, as `ParticipantState.next_follow_up_due` has it.
    """
    interval = relativedelta(months=team.settings.follow_up_interval_months)
    events: dict[str, list[Event]] = defaultdict(list)
    for event in db.session.scalars(sa.select(Event).where(Event.team_id == team.id, Event.date <= end)):
        events[event.participant_id].append(event)
    held = on_time = 0
    for log in events.values():
        anchor = None
        for event in effective(log):
            if event.type == "enrolled":
                anchor = event.date
            elif event.type == "exited":
                anchor = None
            elif event.type == "follow_up" and event.data.get("status") == "held" and anchor is not None:
                due = anchor + interval
                if start <= event.date <= end:
                    held += 1
                    on_time += abs((event.date - due).days) <= service.ON_TIME_DAYS
                anchor = event.date
    return {"from": start, "to": end, "held": held, "held_on_time": on_time,
            "share": round(on_time / held, 3) if held else None}


def hand_over(user, participant_id: str, day, referrer_org: str, name: str, email: str):
    """A coach records that another officer has taken over the participant (`referrer_changed`)."""
    try:
        participant = get_participant(participant_id, {t.id for t in teams_of(user)})
    except NotFound:
        raise NotFound("No such participant in your teams.", "participant") from None
    if not (email or "").strip():
        raise ValidationFailed("The new referrer's e-mail is required.", "email")
    referrer = {"email": email.strip()}
    if (name or "").strip():
        referrer["name"] = name.strip()
    append_event(participant, "referrer_changed", day, {"referrer_org": referrer_org, "referrer": referrer},
                 user=user)
    return participant.team
