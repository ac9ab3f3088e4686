"""The team's overview for coaches and team leads: what is overdue or due soon, by referrer and
organisation, and the share of follow-ups held on time over the last half-year."""

import datetime as dt
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from casework.auth.permissions import TEAM_STAFF
from casework.errors import NotFound, ValidationFailed
from casework.events.service import append_event, effective, team_log_entries
from casework.participants.service import participant_for
from casework.schedule import service
from casework.schedule.links import NO_EMAIL
from casework.vocab import REFERRER_ORGS


def teams_of(user) -> list:
    return list(user.teams) if getattr(user, "role", None) in TEAM_STAFF else []


def chosen_team(teams: list, slug: str | None):
    return next((t for t in teams if t.slug == slug), teams[0])


def team_overview(user, team, purpose: str, today: dt.date | None = None) -> dict:
    """What is due in the team, by referrer, and the share held on time: the team's log read once.

    The user's teams are checked by `schedule_for`, which shows only the participants of the
    teams the user is staff of; the names shown are logged as read.
    """
    today = today or dt.date.today()
    logs = team_log_entries([team.id])
    entries = service.with_names(service.schedule_for(user, today, team_ids={team.id}, logs=logs), user, purpose)
    return {
        "entries": entries,
        "overdue": [e for e in entries if e.overdue],
        "due_soon": [e for e in entries if e.due_soon],
        "by_referrer": by_referrer(entries),
        "on_time": held_on_time(team, today - relativedelta(months=6), today, logs),
        "orgs": REFERRER_ORGS,
    }


def by_referrer(entries) -> list[dict]:
    """Overdue and due-soon counts per (organisation, referrer account); unlinked ones apart."""
    groups: dict[tuple, dict] = defaultdict(lambda: {"overdue": 0, "due_soon": 0, "participants": 0})
    for entry in entries:
        org = entry.referrer_org or "other"
        named = entry.link is not None and entry.link.email_index != NO_EMAIL
        label = entry.referrer_label or ("Ej registrerad remittent" if named else "Ingen remittent angiven")
        group = groups[(REFERRER_ORGS.get(org, org), label)]  # labels in Swedish, the source language
        group["participants"] += 1
        group["overdue"] += entry.overdue
        group["due_soon"] += entry.due_soon
    return [{"org": org, "referrer": label, **counts} for (org, label), counts in sorted(groups.items())]


def held_on_time(team, start: dt.date, end: dt.date, logs: dict[str, list] | None = None) -> dict:
    """Follow-ups due in [start, end]: how many were held, and held within 14 days of the due date.

    As the reports count them (DOMAIN.md §3 `follow_ups`): a follow-up is due every interval after
    the enrolment or the previous held one; each due date is answered by the first held follow-up
    after that anchor; a due date after the exit is not due.

    `logs`: the team's logs by participant (`team_log_entries`), when the caller has read them;
    events dated after `end` are left out, as if the log were read up to `end`.
    """
    interval = relativedelta(months=team.settings.follow_up_interval_months)
    logs = team_log_entries([team.id]) if logs is None else logs
    totals = {"due": 0, "held": 0, "held_on_time": 0}
    for log in logs.values():
        for enrolled_on, exited_on, held in _episodes(effective([e for e in log if e.date <= end])):
            _walk(enrolled_on, exited_on, sorted(held), interval, start, end, totals)
    share = round(totals["held_on_time"] / totals["due"], 3) if totals["due"] else None
    return {"from": start, "to": end, **totals, "share": share}


def _episodes(events: list) -> list[tuple[dt.date, dt.date | None, list[dt.date]]]:
    episodes = []
    for event in events:
        if event.type == "enrolled":
            episodes.append((event.date, None, []))
        elif event.type == "exited" and episodes:
            episodes[-1] = (episodes[-1][0], event.date, episodes[-1][2])
        elif event.type == "follow_up" and event.data.get("status") == "held" and episodes:
            episodes[-1][2].append(event.date)
    return episodes


def _walk(enrolled_on, exited_on, held, interval, start, end, totals) -> None:
    anchor, index = enrolled_on, 0
    while True:
        due = anchor + interval
        if due > end or (exited_on is not None and due > exited_on):
            return
        while index < len(held) and held[index] <= anchor:
            index += 1
        answer = held[index] if index < len(held) and held[index] <= end else None
        if due >= start:
            totals["due"] += 1
            if answer is not None:
                totals["held"] += 1
                totals["held_on_time"] += abs((answer - due).days) <= service.ON_TIME_DAYS
        if answer is None:
            return
        anchor, index = answer, index + 1


def hand_over(user, participant_id: str, day, referrer_org: str, name: str, email: str):
    """A coach records that another officer has taken over the participant (`referrer_changed`)."""
    try:
        participant = participant_for(user, participant_id)
    except NotFound:
        raise NotFound("schedule.team_participant_not_found",
                       "No such participant in your teams.", "participant") from None
    if not (email or "").strip():
        raise ValidationFailed("referrer.email_required", "The new referrer's e-mail is required.", "email")
    referrer = {"email": email.strip()}
    if (name or "").strip():
        referrer["name"] = name.strip()
    append_event(participant, "referrer_changed", day, {"referrer_org": referrer_org, "referrer": referrer},
                 user=user)
    return participant.team
