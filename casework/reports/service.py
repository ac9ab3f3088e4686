"""Loading the facts a report needs (two queries, no personal column) and computing it."""

import datetime as dt
import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa

from casework.errors import PermissionDenied, ValidationFailed
from casework.events.models import Event
from casework.extensions import db
from casework.organisation.figures import organisation_figures
from casework.participants.models import Participant
from casework.reports.compute import compute_report, trend_start
from casework.reports.facts import EventFact, ParticipantFacts
from casework.reports.history import history_of
from casework.reports.paths import COUNTED_ONLY, REPORTED_TYPES, with_corrected_facts
from casework.reports.periods import Period, add_months
from casework.reports.permissions import can_view_report, must_suppress
from casework.reports.previous import previous_period_of
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


PARTICIPANT_COLUMNS = (Participant.id, Participant.team_id, Participant.gender, Participant.birth_year,
                       Participant.education, Participant.support_months_before)
EVENT_COLUMNS = (Event.id, Event.participant_id, Event.type, Event.date, Event.data, Event.seq, Event.voids_event_id)
# Types whose whole history shapes the episodes; follow-ups, post-exit follow-ups, corrections and the
# steps counted only in their window are read apart.
PATH_TYPES = tuple(t for t in REPORTED_TYPES
                   if t not in {"follow_up", "post_exit_follow_up", "survey", "correction", "activity", *COUNTED_ONLY})
HELD = {"status": "held"}
COUNTED_FOLLOW_UPS = ("held", "cancelled")
# The only types whose payload a report reads (the others count by their type and date alone).
TYPES_WITH_DATA = ("referral_received", "referrer_changed", "exited", "post_exit_follow_up", "study_visit", "activity", "survey")


def load_all_facts(team_ids: list[str], period: Period) -> tuple[list[ParticipantFacts], list[EventFact]]:
    """Every participant and every reported event up to the period's end (the plain reference)."""
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


def relevant_participants(team_ids: list[str], since: dt.date):
    """Participants with a reported event since `since`, any correction, or an open enrolment or referral.

    Everyone else left (or withdrew) before `since` for good and counts nowhere in the report.
    Both parts read only the (team, type, date, participant) index.
    """
    touched = sa.select(Event.participant_id).where(
        Event.team_id.in_(team_ids), Event.type.in_(REPORTED_TYPES),
        sa.or_(Event.date >= since, Event.type == "correction"))

    def count(kind: str):
        return sa.func.sum(sa.case((Event.type == kind, 1), else_=0))

    still_open = (sa.select(Event.participant_id)
                  .where(Event.team_id.in_(team_ids),
                         Event.type.in_(("referral_received", "referral_withdrawn", "enrolled", "exited")))
                  .group_by(Event.participant_id)
                  .having(sa.or_(count("enrolled") > count("exited"),
                                 count("referral_received") > count("enrolled") + count("referral_withdrawn"))))
    return sa.union(touched, still_open).cte("relevant")


def load_facts(team_ids: list[str], period: Period, lookback_months: int = 12,
               since: dt.date | None = None) -> tuple[list[ParticipantFacts], list[EventFact]]:
    """Statistical facts of the participants a report can count, and the events it reads (two queries).

    Only participants whose path can touch the period (from `since`, by default `relevant_since`)
    are read. Of their events: the steps shaping episodes up to the period's end; held follow-ups
    from `lookback_months` (the longest follow-up interval of the teams) before the period, which is
    all its due dates depend on; cancelled follow-ups, post-exit follow-ups and the steps counted by
    type alone (`COUNTED_ONLY`) in the period; and every correction, whatever its date.
    """
    if not team_ids:
        return [], []
    _tune_for_reporting()
    relevant = relevant_participants(team_ids, since or relevant_since(period))
    held_since = add_months(period.start, -lookback_months)
    status = Event.data["status"].as_string()
    payload = sa.case((Event.type.in_(TYPES_WITH_DATA), sa.cast(Event.data, sa.Text)),
                      (Event.type == "follow_up", status), else_=None)
    # A semi-join (`IN`) rather than a join: it lets the database walk the (team, type, date)
    # index and read only the reported events, instead of every event of each relevant participant.
    relevant_ids = sa.select(relevant.c.participant_id)
    query = (sa.select(Event.id, Event.participant_id, Event.type, Event.date, payload, Event.seq,
                       Event.voids_event_id)
             .where(Event.team_id.in_(team_ids), Event.type.in_(REPORTED_TYPES),
                    Event.participant_id.in_(relevant_ids), sa.or_(
                 sa.and_(Event.type.in_(PATH_TYPES), Event.date <= period.end),
                 sa.and_(Event.type.in_(("survey", *COUNTED_ONLY)), Event.date.between(period.start, period.end)),
                 # after the period too: the cohorts of its exits at 6 and 18 months (`surveys.py`)
                 sa.and_(Event.type == "post_exit_follow_up", Event.date >= period.start),
                 sa.and_(Event.type == "follow_up", Event.date.between(held_since, period.end),
                         status.in_(COUNTED_FOLLOW_UPS)),
                 sa.and_(Event.type == "activity", Event.date.between(period.start, period.end),
                         Event.data["group_session_id"].as_string().is_not(None)),
                 Event.type == "correction")))
    events = []
    # Payloads repeat (they hold vocabulary codes), so each distinct text is decoded once; the
    # computation only reads them.
    decoded: dict[str, dict] = {}
    for eid, pid, kind, day, data, seq, voids in db.session.connection().execute(query).all():
        if kind == "follow_up":
            payload_of = HELD if data == "held" else {"status": data}
        elif data:
            payload_of = decoded.get(data)
            if payload_of is None:
                payload_of = decoded[data] = json.loads(data)
        else:
            payload_of = None
        events.append(EventFact(eid, pid, kind, day, payload_of, seq, voids))
    wanted = {e.participant_id for e in events}
    participants = [ParticipantFacts(*row) for row in db.session.connection().execute(
        sa.select(*PARTICIPANT_COLUMNS).where(Participant.team_id.in_(team_ids))).all() if row[0] in wanted]
    corrections = [e for e in events if e.type == "correction"]
    return with_corrected_facts(participants, [*load_fact_corrections(team_ids), *corrections]), events


def _tune_for_reporting() -> None:
    """PostgreSQL would spend longer compiling these one-off queries (JIT) than running them,
    and sorts the participant ids on disk with the default 4 MB of work memory."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL jit = off"))
        db.session.execute(sa.text("SET LOCAL work_mem = '64MB'"))


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


def build_report(scope: Scope, period: Period, sizes: dict | None = None) -> dict:
    """The report with its previous period: the facts of both are loaded once (one window from the
    previous period's start to this period's end) and both are derived from the same paths. The
    previous period has no trend of its own (`previous.without_trend`), so no earlier log is read."""
    lookback = max((t.settings.follow_up_interval_months for t in scope.teams), default=1)
    settings_by_team = {t.id: t.settings for t in scope.teams}
    previous = previous_period_of(period)
    window = Period(previous.start, period.end)
    since = min(relevant_since(period), previous.start)
    history = history_of(scope.teams[0].id) if scope.kind == "team" else ()
    with cyclic_gc_paused():
        participants, events = load_facts([t.id for t in scope.teams], window, lookback, since)
        report = compute_report(participants, events, period, settings_by_team, scope.settings, scope.header,
                                sizes, history)
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
