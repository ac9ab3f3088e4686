"""The demo: the example team imported and one account per role, with fresh random passwords."""

import datetime as dt
import secrets
from pathlib import Path

import sqlalchemy as sa

from casework.auth.models import User
from casework.auth.service import create_user, hash_password
from casework.events.service import append_event, states_of
from casework.exchange.records import ImportSummary
from casework.exchange.service import import_lines
from casework.extensions import db
from casework.participants.models import Participant
from casework.teams.service import get_team

# A copy of the synthetic worked example (DOMAIN.md §5), shipped as package data.
DEFAULT_EXAMPLE = Path(__file__).resolve().parent / "demo_data" / "kraften-hedemora-2020-21.jsonl"
DEMO_ROLES = ("coach", "team_lead", "referrer", "analyst", "auditor", "admin")


def demo_email(role: str) -> str:
    return f"demo-{role.replace('_', '-')}@example.org"


def prepare_demo(path: Path) -> tuple[ImportSummary, list[tuple[str, str, str]]]:
    """Import the file (adds nothing the second time) and (re)set the demo accounts' passwords."""
    with path.open("rb") as handle:
        summary = import_lines(handle)
    team = get_team(summary.team_slugs[0]) if summary.team_slugs else None
    accounts = []
    users = {}
    for role in DEMO_ROLES:
        password = secrets.token_urlsafe(12)
        users[role] = _ensure_user(role, password, team)
        accounts.append((role, demo_email(role), password))
    if team is not None:
        _give_the_demo_referrer_a_schedule(team, users["referrer"])
        _give_the_demo_team_its_organisation(team)
    return summary, accounts


# The example has no staff, budget or meetings (the shared file is kept as it is): a few made-up
# records for the operational year 2020/21, so that the report's Personal and Organisation sections
# and the organisation page show something. Added once, as an import's lines would be.
DEMO_ORGANISATION = (
    ("staff", {"id": "S01", "name": "Demo Coach", "role": "coach", "employer": "municipality", "extent_percent": 100,
               "from": "2020-01-01", "to": None}),
    ("staff", {"id": "S02", "name": "Demo Handläggare", "role": "coach", "employer": "af", "extent_percent": 50,
               "from": "2020-01-01", "to": "2020-12-31"}),
    ("staff", {"id": "S02", "name": "Demo Handläggare", "role": "coach", "employer": "af", "extent_percent": 20,
               "from": "2021-01-01", "to": None}),
    ("budget", {"line": "own_staff", "from": "2020-07-01", "to": "2021-06-30", "decided": 1200000,
                "outcome": 1150000, "forecast": None}),
    ("budget", {"line": "premises", "from": "2020-07-01", "to": "2021-06-30", "decided": 120000,
                "outcome": 118500, "forecast": None}),
    ("meeting", {"date": "2020-09-15", "kind": "steering_group"}),
    ("meeting", {"date": "2021-03-10", "kind": "steering_group"}),
)


def _give_the_demo_team_its_organisation(team) -> None:
    from casework.organisation.service import list_records, load_input, save_record

    if any(list_records(kind, [team.id]) for kind in ("staff", "budget", "meeting")):
        return
    for kind, raw in DEMO_ORGANISATION:
        save_record(kind, team, load_input(kind, raw), source="import")


def _give_the_demo_referrer_a_schedule(team, referrer: User, count: int = 4) -> None:
    """The example names no referrers; hand a few active participants who share information to
    the demo referrer (a `referrer_changed` dated today, as a coach would), once."""
    from casework.schedule.service import schedule_for

    if schedule_for(referrer):
        return
    participants = list(db.session.scalars(
        sa.select(Participant).where(Participant.team_id == team.id, Participant.anonymous.is_(False))
        .order_by(Participant.ref)))
    states = states_of(participants)
    chosen = [p for p in participants
              if states[p.id].is_active and "information_sharing" in states[p.id].consents][:count]
    for participant in chosen:
        append_event(participant, "referrer_changed", dt.date.today(),
                     {"referrer_org": states[participant.id].referrer_org or "other",
                      "referrer": {"name": referrer.name or "Demo Remittent", "email": referrer.email}})


def _ensure_user(role: str, password: str, team) -> User:
    email = demo_email(role)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is not None:
        user.password_hash = hash_password(password)
        user.active = True
        db.session.flush()
        return user
    teams = [team.slug] if team is not None and role in ("coach", "team_lead") else []
    federation = team.federation.name if team is not None and role == "analyst" else None
    return create_user({"email": email, "role": role, "name": f"Demo {role}", "password": password,
                        "teams": teams, "federation": federation})
