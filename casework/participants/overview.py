"""The team's participant list: names decrypted within the team only, phases from the state projection."""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from casework.audit.access_log import log_access
from casework.events.projection import EpisodeMarks, Projected, kept_states
from casework.events.service import team_intervals
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
    marks: EpisodeMarks  # what "Att göra" reads beside the state

    @property
    def kept(self) -> Projected:
        return Projected(self.state, self.marks)

    @property
    def phase(self) -> str | None:
        return self.state.phase

    @property
    def next_follow_up(self) -> dt.date | None:
        return self.state.next_follow_up_due


def team_overview(team: Team, user, *, text: str = "", phase: str | None = None) -> list[OverviewRow]:
    """Active participants first, each group by next follow-up; the names shown are logged as read.

    Each participant's state is read from the state projection (one row each), never its log.
    """
    if text.strip():
        participants = search_participants({team.id}, text, user)
    else:
        participants = list(db.session.scalars(sa.select(Participant).where(Participant.team_id == team.id)))
    kept = kept_states(participants, team_intervals(participants))
    if phase:
        participants = [p for p in participants if kept[p.id].state.phase == phase]
    names = names_of(participants)
    rows = [OverviewRow(p, names[p.id], kept[p.id].state, kept[p.id].marks) for p in participants]
    rows.sort(key=_overview_order)
    log_access(user, [r.participant.id for r in rows if _shows_personal_data(r.participant)], "participant_list")
    return rows


def _shows_personal_data(participant: Participant) -> bool:
    return not participant.anonymous and participant.erased_at is None


def _overview_order(row: OverviewRow):
    due = row.next_follow_up or dt.date.max
    return (PHASE_ORDER.get(row.phase, 5), due, row.name.casefold())
