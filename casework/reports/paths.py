"""One pass over a participant's log: the episodes, referrals and dated facts reports count.

Pure functions over `facts.EventFact` rows; corrections are resolved with the same function as
`casework.events.service.effective`, so a voided event never counts.
"""

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType

from casework.events.facts import FACT_NAMES, corrected_facts
from casework.events.ordering import TYPE_RANK, voided_ids
from casework.reports.facts import EventFact, ParticipantFacts
from casework.reports.periods import add_months
from casework.teams.settings import TeamSettings

# Steps that shape no episode, counted by type and date alone (intake and process, `splits.py`):
# a report reads them only within its window.
COUNTED_ONLY = ("study_visit", "assessment", "action_plan", "half_year_review")
# The event types any report reads; the others (activities…) never change a figure.
REPORTED_TYPES = ("referral_received", "referral_withdrawn", "referrer_changed", "enrolled", "trial_completed",
                  "follow_up", "work_training_started", "work_training_ended", "exited", "post_exit_follow_up",
                  "survey", "correction") + COUNTED_ONLY + ("activity",)
# An `activity` is read only when it is an attendance at a group session (`group_session_id`).
# The steps counted in intake and process; a cancelled `follow_up` is one too (`step_of`).
STEP_TYPES = (*COUNTED_ONLY, "referral_withdrawn")
MAYBE_STEPS = frozenset((*STEP_TYPES, "follow_up"))


NO_DATA: dict = MappingProxyType({})


@dataclass(slots=True)
class Referral:
    received_on: dt.date
    resolved_on: dt.date | None = None
    org: str | None = None


@dataclass(slots=True)
class Episode:
    """One enrolment (to its exit, if any) of one participant, classified by the team's settings."""

    person: ParticipantFacts
    enrolled_on: dt.date
    referrer_org: str | None
    income_before: tuple[str, ...]
    trial_completed_on: dt.date | None = None
    exited_on: dt.date | None = None
    exit: dict = field(default_factory=dict)
    held_follow_ups: list[dt.date] = field(default_factory=list)
    within_trial: bool = False
    counted: bool = False
    goal: bool = False
    gender: str = ""  # the person's, copied: the report reads it for every episode many times over

    def active_on(self, day: dt.date) -> bool:
        """Enrolled on or before `day` and not exited on or before it."""
        return self.enrolled_on <= day and (self.exited_on is None or self.exited_on > day)

    def classify(self, settings: TeamSettings) -> None:
        if self.exited_on is None:
            return
        trial_end = add_months(self.enrolled_on, settings.trial_months)
        completed = self.trial_completed_on is not None and self.trial_completed_on <= self.exited_on
        self.within_trial = not completed and self.exited_on < trial_end
        category = self.exit.get("category")
        excluded = category in settings.exclude_from_result or (self.within_trial and settings.excludes_within_trial)
        self.counted = not excluded
        self.goal = self.counted and category in settings.goal_categories


@dataclass(slots=True)
class Path:
    person: ParticipantFacts
    episodes: list[Episode] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    work_training: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    post_exit: list[tuple[dt.date, int, str]] = field(default_factory=list)
    # Dated steps counted by kind: (date, kind, detail), detail being a study visit's payload or
    # the referrer organisation of a cancelled follow-up (see `step_of`).
    steps: list[tuple[dt.date, str, object]] = field(default_factory=list)
    # Attendances at group sessions: (date, kind, group_session_id, hours).
    group_attendances: list[tuple[dt.date, str, str, float]] = field(default_factory=list)
    # (date, instrument, answers), answers None for a legacy survey with a bare score.
    surveys: list[tuple[dt.date, str, dict | None]] = field(default_factory=list)


def with_corrected_facts(participants: list[ParticipantFacts], fact_events: list[EventFact]) -> list[ParticipantFacts]:
    """Each participant's facts as their `facts_corrected` events (and the corrections voiding
    them, also in `fact_events`) leave them, whatever the corrections' dates (DOMAIN.md §2: a
    closed period then shows as changed against its snapshot)."""
    by_participant: dict[str, list[EventFact]] = {}
    for event in fact_events:
        by_participant.setdefault(event.participant_id, []).append(event)
    if not any(e.type == "facts_corrected" for e in fact_events):
        return participants
    result = []
    for person in participants:
        events = by_participant.get(person.id)
        if events:
            person = person._replace(**corrected_facts({name: getattr(person, name) for name in FACT_NAMES}, events))
        result.append(person)
    return result


def log_key(event: EventFact) -> tuple:
    """`casework.events.ordering.sort_key` for fact rows, without its lookups: (date, type rank, seq)."""
    return (event.date, TYPE_RANK.get(event.type, 8), event.seq or 0)


def effective_facts(events: list[EventFact]) -> list[EventFact]:
    """Corrections resolved (a voided correction restores what it voided), in log order."""
    corrections = [(e.id, e.voids_event_id) for e in events if e.type == "correction"]
    if not corrections:
        return sorted(events, key=log_key)
    voided = voided_ids(corrections)
    return sorted((e for e in events if e.id not in voided and e.type != "correction"), key=log_key)


def path_of(person: ParticipantFacts, events: list[EventFact], settings: TeamSettings) -> Path:
    """The path of one participant's effective events, given in log order (see `effective_facts`)."""
    path = Path(person)
    org: str | None = None
    income: tuple[str, ...] = ()
    open_referral: Referral | None = None
    training_since: dt.date | None = None
    gender = person.gender
    current: Episode | None = None  # the open episode, if any
    for _, _, kind, day, data, _, _ in events:
        data = data or NO_DATA
        if kind == "activity":
            if "group_session_id" in data:
                path.group_attendances.append((day, data.get("kind"), data["group_session_id"], data.get("hours", 0)))
            continue
        if kind in MAYBE_STEPS:
            step = step_of(kind, data, org)
            if step is not None:
                path.steps.append((day, *step))
        if kind == "survey":
            answers = data.get("answers")
            path.surveys.append((day, data.get("instrument"), answers if isinstance(answers, dict) else None))
        elif kind == "referral_received":
            org, income = data.get("referrer_org"), tuple(data.get("income_sources") or ())
            open_referral = Referral(day, org=org)
            path.referrals.append(open_referral)
        elif kind == "referrer_changed":
            org = data.get("referrer_org", org)
        elif kind == "referral_withdrawn" and open_referral is not None:
            open_referral.resolved_on, open_referral = day, None
        elif kind == "enrolled" and current is None:
            if open_referral is not None:
                open_referral.resolved_on, open_referral = day, None
            current = Episode(person, day, org, income, gender=gender)
            path.episodes.append(current)
        elif current is None:
            if kind == "post_exit_follow_up":
                path.post_exit.append((day, int(data.get("months_after", 0)), data.get("status")))
            continue
        elif kind == "trial_completed" and current.trial_completed_on is None:
            current.trial_completed_on = day
        elif kind == "follow_up" and data.get("status") == "held":
            current.held_follow_ups.append(day)
        elif kind == "work_training_started" and training_since is None:
            training_since = day
        elif kind == "work_training_ended" and training_since is not None:
            path.work_training.append((training_since, day))
            training_since = None
        elif kind == "exited":
            current.exited_on, current.exit = day, dict(data)
            current = None
            if training_since is not None:
                path.work_training.append((training_since, day))
                training_since = None
    if training_since is not None:
        path.work_training.append((training_since, None))
    for episode in path.episodes:
        episode.classify(settings)
    return path


def step_of(kind: str, data: dict, org: str | None) -> tuple[str, object] | None:
    """(kind, detail) of an event counted as a step of intake or process, or None."""
    if kind == "study_visit":
        return kind, dict(data)  # the path keeps (and the projection writes) a plain dict
    if kind in STEP_TYPES:
        return kind, None
    if kind == "follow_up" and data.get("status") == "cancelled":
        return "follow_up_cancelled", org
    return None
