"""Loading the facts a report needs (two queries, no personal column) and computing it."""

from dataclasses import dataclass

import sqlalchemy as sa

from casework.events.models import Event
from casework.extensions import db
from casework.participants.models import Participant
from casework.errors import PermissionDenied
from casework.reports.compute import compute_report
from casework.reports.permissions import can_view_report, must_suppress
from casework.reports.facts import EventFact, ParticipantFacts
from casework.reports.paths import REPORTED_TYPES
from casework.reports.periods import Period
from casework.reports.suppress import suppress
from casework.teams.models import Federation, Team
from casework.teams.service import get_federation, get_team
from casework.teams.settings import TeamSettings


@dataclass(frozen=True)
class Scope:
    """What a report is about: one team, or every team of a federation."""

    kind: str  # "team" or "federation"
    name: str  # the team's slug or the federation's name
    teams: tuple[Team, ...]
    federation_id: str

    @property
    def header(self) -> dict:
        if self.kind == "team":
            return {"team": self.name}
        return {"federation": self.name, "teams": [t.slug for t in self.teams]}

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"

    @property
    def settings(self) -> TeamSettings:
        """The brackets and columns the report uses (a federation's when its teams agree)."""
        distinct = {(t.settings.age_brackets, t.settings.support_brackets_months) for t in self.teams}
        if self.kind == "team" or len(distinct) == 1:
            return self.teams[0].settings
        return TeamSettings()


def team_scope(team: Team) -> Scope:
    return Scope("team", team.slug, (team,), team.federation_id)


def federation_scope(federation: Federation) -> Scope:
    return Scope("federation", federation.name, tuple(federation.teams), federation.id)


def scope_for(team: str | None = None, federation: str | None = None) -> Scope:
    from casework.errors import ValidationFailed

    if bool(team) == bool(federation):
        raise ValidationFailed("Give either a team or a federation.", "team")
    return team_scope(get_team(team)) if team else federation_scope(get_federation(federation))


def load_facts(team_ids: list[str], period: Period) -> tuple[list[ParticipantFacts], list[EventFact]]:
    """Statistical facts of the teams' participants and the events a report reads.

    Events after the period cannot change it, except corrections, which void whatever they name.
    """
    if not team_ids:
        return [], []
    participants = [ParticipantFacts(*row) for row in db.session.execute(
        sa.select(Participant.id, Participant.team_id, Participant.gender, Participant.birth_year,
                  Participant.education, Participant.support_months_before)
        .where(Participant.team_id.in_(team_ids)))]
    events = [EventFact(*row) for row in db.session.execute(
        sa.select(Event.id, Event.participant_id, Event.type, Event.date, Event.data, Event.seq, Event.voids_event_id)
        .where(Event.team_id.in_(team_ids), Event.type.in_(REPORTED_TYPES),
               sa.or_(Event.date <= period.end, Event.type == "correction")))]
    return participants, events


def build_report(scope: Scope, period: Period, sizes: dict | None = None) -> dict:
    participants, events = load_facts([t.id for t in scope.teams], period)
    settings_by_team = {t.id: t.settings for t in scope.teams}
    return compute_report(participants, events, period, settings_by_team, scope.settings, scope.header, sizes)


def report_for(user, scope: Scope, period: Period) -> dict:
    """The report as this reader may see it: suppressed for readers outside the team."""
    if not can_view_report(user, scope):
        raise PermissionDenied("You may not see this report.")
    sizes: dict = {}
    report = build_report(scope, period, sizes)
    return suppress(report, sizes, scope.settings) if must_suppress(user) else report
