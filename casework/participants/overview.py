"""The team's participant list: names decrypted within the team only, phases derived from the log."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from casework.audit.access_log import log_access
from casework.events.service import states_of
from casework.events.state import ParticipantState
from casework.extensions import db
from casework.participants.models import Participant
from casework.participants.service import names_of, search_participants
from casework.teams.models import Team

PHASE_ORDER = {"in_trial": 0, "enrolled": 0, "queued": 1, "visited": 2, "exited": 3, "withdrawn": 4, None: 5}


@dataclass(frozen=True)
class OverviewRow:
    participant: Participant
    name: str
    state: ParticipantState

    @property
    def phase(self) -> str | None:
        return self.state.phase

    @property
    def next_follow_up(self) -> dt.date | None:
        return self.state.next_follow_up_due


def team_overview(team: Team, user, *, text: str = "", phase: str | None = None,
                  logs: dict | None = None) -> list[OverviewRow]:
    """Active participants first, each group by next follow-up; the names shown are logged as read.

    `logs`: the team's logs (`team_log_entries`), when the caller has read them for more than this.
    """
    if text.strip():
        participants = search_participants({team.id}, text, user)
    else:
        participants = list(db.session.scalars(sa.select(Participant).where(Participant.team_id == team.id)))
    states = states_of(participants, logs)
    if phase:
        participants = [p for p in participants if states[p.id].phase == phase]
    names = names_of(participants)
    rows = [OverviewRow(p, names[p.id], states[p.id]) for p in participants]
    rows.sort(key=_overview_order)
    log_access(user, [r.participant.id for r in rows if _shows_personal_data(r.participant)], "participant_list")
    return rows


def _shows_personal_data(participant: Participant) -> bool:
    return not participant.anonymous and participant.erased_at is None


def _overview_order(row: OverviewRow):
    due = row.next_follow_up or dt.date.max
    return (PHASE_ORDER.get(row.phase, 5), due, row.name.casefold())
