"""Loading the facts a report needs (two queries, no personal column) and computing it."""

import datetime as dt
import gc
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa

from casework.errors import PermissionDenied, ValidationFailed
from casework.events.models import Event
from casework.extensions import db
from casework.organisation.figures import organisation_figures
from casework.participants.models import Participant
from casework.reports.compute import report_with_previous, trend_start
from casework.reports.facts import EventFact, ParticipantFacts
from casework.reports.history import history_of
from casework.reports.paths import REPORTED_TYPES, with_corrected_facts
from casework.reports.periods import Period
from casework.reports.permissions import can_view_report, must_suppress
from casework.reports.previous import previous_period_of
from casework.reports.projection import EVENT_COLUMNS, PARTICIPANT_COLUMNS, load_paths
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
    if bool(team) == bool(federation):
        raise ValidationFailed("report.team_or_federation", "Give either a team or a federation.", "team")
    return team_scope(get_team(team)) if team else federation_scope(get_federation(federation))


def load_all_facts(team_ids: list[str], period: Period) -> tuple[list[ParticipantFacts], list[EventFact]]:
    """Every participant and every reported event up to the period's end, with corrections and
    post-exit follow-ups whatever their date: the log as it stood at the period's end, read whole.
    Reports read the projection (`paths_for`); this is the reference the tests compare it with."""
    participants = [ParticipantFacts(*row) for row in db.session.execute(
        sa.select(*PARTICIPANT_COLUMNS).where(Participant.team_id.in_(team_ids)))]
    events = [EventFact(*row) for row in db.session.execute(
        sa.select(*EVENT_COLUMNS).where(Event.team_id.in_(team_ids), Event.type.in_(REPORTED_TYPES),
                                        sa.or_(Event.date <= period.end,
                                               Event.type.in_(("correction", "post_exit_follow_up")))))]
    return with_corrected_facts(participants, [*load_fact_corrections(team_ids), *events]), events


def load_fact_corrections(team_ids: list[str]) -> list[EventFact]:
    """Every `facts_corrected` event of the teams, whatever its date (few: one per mistake)."""
    query = sa.select(*EVENT_COLUMNS).where(Event.team_id.in_(team_ids), Event.type == "facts_corrected")
    return [EventFact(*row) for row in db.session.execute(query)]


def relevant_since(period: Period) -> dt.date:
    """Before this day a closed path changes no figure of the report (nor of its throughput trend)."""
    return min(period.start, trend_start(period.end))


def _tune_for_reporting() -> None:
    """PostgreSQL would spend longer compiling the one-off read (JIT) than running it."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL jit = off"))


@contextmanager
def cyclic_gc_paused():
    """A federation's report makes some 10^5 short-lived, acyclic objects (rows, facts, episodes):
    reference counting frees them all, while the cyclic collector, triggered again and again by
    the allocations alone, would nearly double the time. Re-enabled only if it was enabled (the
    process-wide switch is never left off by overlapping reports)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def paths_for(scope: Scope, period: Period, since: dt.date, whole_since: dt.date | None = None) -> list:
    """The paths of the scope's participants who can count from `since` to the period's end, as the
    log stood at its end (`projection.load_paths`: one read of the projection, no event); of those
    with nothing from `whole_since` on, the episodes alone (what the trend's windows count)."""
    _tune_for_reporting()
    return load_paths([t.id for t in scope.teams], period.end, since, {t.id: t.settings for t in scope.teams},
                      scope.settings, whole_since)


def build_report(scope: Scope, period: Period, sizes: dict | None = None) -> dict:
    """The report with its previous period, both derived from the same paths (read once, as the log
    stood at this period's end, for the participants who can count from the previous period's start
    on). The previous period has no trend of its own (`previous.without_trend`)."""
    settings_by_team = {t.id: t.settings for t in scope.teams}
    previous = previous_period_of(period)
    since = min(relevant_since(period), previous.start)
    history = history_of(scope.teams[0].id) if scope.kind == "team" else ()
    with cyclic_gc_paused():
        paths = paths_for(scope, period, since, previous.start)
        report = report_with_previous(paths, period, scope.settings, settings_by_team, scope.header, sizes, history)
    with_organisation_figures(report, [t.id for t in scope.teams])
    return report


def with_organisation_figures(report: dict, team_ids: list[str]) -> None:
    """The organisation keys (`staff`, `economy`, `meetings`) of the report and of its previous period
    from the log (imported history keeps only what it holds), in place."""
    for part in (report, report.get("previous_period")):
        if part is None or part.get("source") == "history":
            continue
        part.update(organisation_figures(team_ids, dt.date.fromisoformat(part["from"]),
                                         dt.date.fromisoformat(part["to"]), part["participants_in_period"]))


def check_named(period: Period) -> None:
    """Outside the team, named periods only: two free periods a day apart, subtracted one from the
    other, would show one person's gender, age, referrer and income whatever the suppression."""
    if period.name is None:
        raise ValidationFailed("report.named_period_only",
                               "Outside the team, reports are given for named periods only: a half-year (2021H1), "
                               "a calendar year (2020) or an operational year (2020/21).", "period")


def figures(scope: Scope, period: Period, *, suppressed: bool) -> dict:
    """The report, or as readers outside the team see it (`suppressed`: small cells hidden)."""
    if not suppressed:
        return build_report(scope, period)
    check_named(period)
    sizes: dict = {}
    report = build_report(scope, period, sizes)
    return suppress(report, sizes, scope.settings)


def report_for(user, scope: Scope, period: Period) -> dict:
    """The report as this reader may see it: suppressed for readers outside the team."""
    if not can_view_report(user, scope):
        raise PermissionDenied("report.denied", "You may not see this report.")
    return figures(scope, period, suppressed=must_suppress(user))
