"""A participant's state, derived by replaying the log (never stored).

`replay` applies non-voided events in log order. Each step checks that the event makes sense at
its date (an exit needs an enrolment, a second enrolment needs an exit first...); the checks are
collected rather than raised, so that a new event can be refused for the problems it adds while a
log made inconsistent by a later correction still derives a state.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from casework.errors import Coded
from casework.events.ordering import TYPE_RANK, sort_key, voided_ids

PHASE_LABELS = {
    "visited": "Studiebesök",
    "queued": "I kö",
    "withdrawn": "Remiss återtagen",
    "in_trial": "Prövotid",
    "enrolled": "Inskriven",
    "exited": "Avslutad",
}
ACTIVE_PHASES = {"in_trial", "enrolled"}
NEEDS_ENROLMENT = {"trial_completed", "assessment", "action_plan", "half_year_review", "follow_up",
                   "work_training_started", "work_training_ended", "exited"}


@dataclass
class Episode:
    enrolled_on: dt.date
    trial_completed_on: dt.date | None = None
    exited_on: dt.date | None = None
    exit: dict | None = None
    last_held_follow_up: dt.date | None = None
    bookings: list[tuple[dt.date, str | None, str]] = field(default_factory=list)


@dataclass
class LogProblem:
    event_id: str
    field: str
    message: str


@dataclass
class ParticipantState:
    follow_up_interval_months: int = 3
    phase: str | None = None
    first_contact_on: dt.date | None = None
    referral_on: dt.date | None = None
    referrer_org: str | None = None
    income_at_referral: list[str] = field(default_factory=list)
    income_sources: list[str] = field(default_factory=list)
    consents: set[str] = field(default_factory=set)
    episodes: list[Episode] = field(default_factory=list)
    work_training_since: dt.date | None = None
    erased: bool = False
    last_event_on: dt.date | None = None

    @property
    def episode(self) -> Episode | None:
        return self.episodes[-1] if self.episodes else None

    @property
    def enrolled_on(self) -> dt.date | None:
        return self.episode.enrolled_on if self.episode else None

    @property
    def exited_on(self) -> dt.date | None:
        return self.episode.exited_on if self.episode else None

    @property
    def is_active(self) -> bool:
        return self.phase in ACTIVE_PHASES

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS.get(self.phase, "–")

    @property
    def next_follow_up_due(self) -> dt.date | None:
        """Every interval after enrolment or after the last held follow-up, while enrolled."""
        if not self.is_active:
            return None
        anchor = self.episode.last_held_follow_up or self.episode.enrolled_on
        return add_months(anchor, self.follow_up_interval_months)

    @property
    def next_booking(self) -> tuple[dt.date, str | None, str] | None:
        if not self.is_active or not self.episode.bookings:
            return None
        return min(self.episode.bookings, key=lambda b: (b[0], b[1] or ""))

    def refusals(self, event) -> list[tuple[str, Coded]]:
        """What is wrong with `event` if it came next, as (field, message); the state is unchanged."""
        return self._check(event)

    def apply(self, event) -> list[LogProblem]:
        """Apply one event; return what is wrong with it at its date (empty when nothing)."""
        problems = [LogProblem(event.id, f, m) for f, m in self._check(event)]
        self._advance(event)
        self.last_event_on = max(filter(None, [self.last_event_on, event.date]))
        return problems

    def _check(self, event) -> list[tuple[str, Coded]]:
        t, phase = event.type, self.phase
        if t == "exited" and phase == "exited":
            return [("type", Coded("event.already_exited", f"Already exited on {self.exited_on}.",
                                   date=self.exited_on.isoformat()))]
        if t in NEEDS_ENROLMENT and phase == "exited":
            return [("date", Coded("event.after_exit",
                                   f"The participant exited on {self.exited_on}: {t} needs a new enrolment first.",
                                   type=t, date=self.exited_on.isoformat()))]
        if t in NEEDS_ENROLMENT and phase not in ACTIVE_PHASES:
            day = event.date.isoformat()
            return [("date", Coded("event.requires_enrolment", f"{t} needs an enrolment on or before {day}.",
                                   type=t, date=day))]
        if t == "enrolled" and phase in ACTIVE_PHASES:
            return [("type", Coded("event.already_enrolled",
                                   "Already enrolled: an exit must come before a new enrolment."))]
        if t == "referral_received" and phase in ACTIVE_PHASES | {"queued"}:
            return [("type", Coded("referral.already_open", "A referral is already open for this participant."))]
        if t == "referral_withdrawn" and phase != "queued":
            return [("type", Coded("referral.withdraw_not_queued", "Only a referral in the queue can be withdrawn."))]
        if t == "referrer_changed" and self.referral_on is None:
            return [("type", Coded("referral.none_to_change", "There is no referral whose referrer could change."))]
        if t == "trial_completed" and self.episode.trial_completed_on is not None:
            return [("type", Coded("trial.already_completed", "The trial period is already completed."))]
        if t == "work_training_ended" and self.work_training_since is None:
            return [("type", Coded("work_training.none_to_end", "There is no work training to end."))]
        if t == "work_training_started" and self.work_training_since is not None:
            return [("type", Coded("work_training.already_going", "A work training is already going on."))]
        if t == "post_exit_follow_up" and phase != "exited":
            return [("date", Coded("follow_up.after_exit_needs_exit",
                                   "A follow-up after exit needs an exit on or before its date."))]
        if (t == "follow_up" and event.data.get("status") == "booked"
                and dt.date.fromisoformat(event.data["scheduled_for"]) < event.date):
            return [("scheduled_for", Coded("follow_up.booked_before_booking",
                                            "A follow-up cannot be booked for a date before the booking."))]
        return []

    def _advance(self, event) -> None:
        handler = getattr(self, f"_on_{event.type}", None)
        if self.first_contact_on is None:
            self.first_contact_on = event.date
        if handler:
            handler(event)

    def _on_study_visit(self, event):
        if self.phase in (None, "withdrawn", "exited"):
            self.phase = "visited" if self.phase is None else self.phase

    def _on_referral_received(self, event):
        self.phase = "queued"
        self.referral_on = event.date
        self.referrer_org = event.data.get("referrer_org")
        self.income_at_referral = list(event.data.get("income_sources", []))
        self.income_sources = list(self.income_at_referral)

    def _on_referrer_changed(self, event):
        self.referrer_org = event.data.get("referrer_org")

    def _on_referral_withdrawn(self, event):
        self.phase = "withdrawn"

    def _on_enrolled(self, event):
        self.phase = "in_trial"
        self.episodes.append(Episode(enrolled_on=event.date))
        self.consents = set(event.data.get("consents", []))

    def _on_trial_completed(self, event):
        if self.episode:
            self.episode.trial_completed_on = event.date
            self.phase = "enrolled" if self.phase == "in_trial" else self.phase

    def _on_follow_up(self, event):
        if not self.episode:
            return
        status = event.data.get("status")
        if status == "booked":
            scheduled = dt.date.fromisoformat(event.data["scheduled_for"])
            self.episode.bookings.append((scheduled, event.data.get("scheduled_time"), event.id))
        elif status == "held":
            self.episode.last_held_follow_up = event.date
            self._close_earliest_booking()
        elif status == "cancelled":
            self._close_earliest_booking()

    def _close_earliest_booking(self):
        if self.episode.bookings:
            self.episode.bookings.remove(min(self.episode.bookings, key=lambda b: (b[0], b[1] or "")))

    def _on_work_training_started(self, event):
        self.work_training_since = event.date

    def _on_work_training_ended(self, event):
        self.work_training_since = None

    def _on_income_changed(self, event):
        self.income_sources = list(event.data["income_sources"])

    def _on_exited(self, event):
        if self.episode:
            self.episode.exited_on = event.date
            self.episode.exit = dict(event.data)
            self.episode.bookings = []
        self.phase = "exited"
        self.work_training_since = None
        if event.data.get("income_sources"):
            self.income_sources = list(event.data["income_sources"])

    def _on_identified(self, event):
        self.consents |= set(event.data.get("consents", []))

    def _on_consent_given(self, event):
        self.consents.add(event.data["scope"])

    def _on_consent_withdrawn(self, event):
        self.consents.discard(event.data["scope"])

    def _on_erased(self, event):
        self.erased = True


def replay(events, *, follow_up_interval_months: int = 3) -> tuple[ParticipantState, list[LogProblem]]:
    """Derive the state from non-voided events (any order); corrections are skipped here."""
    state = ParticipantState(follow_up_interval_months=follow_up_interval_months)
    problems: list[LogProblem] = []
    for event in sorted((e for e in events if e.type != "correction"), key=sort_key):
        problems.extend(state.apply(event))
    return state, problems



@lru_cache(maxsize=65536)
def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months (the month's last day where it is shorter), as relativedelta adds them.

    Cached: a list page asks for the same few dates per participant many times (sorting, the row,
    the work due), and relativedelta arithmetic costs more than the rest of a row.
    """
    return day + relativedelta(months=months)


# The state-changing step of each event type that has one (the others only move the dates).
_HANDLERS = {t: getattr(ParticipantState, f"_on_{t}") for t in TYPE_RANK if hasattr(ParticipantState, f"_on_{t}")}


def _log_order(event) -> tuple:
    return (event.date, TYPE_RANK.get(event.type, 8), event.seq or 0)


def fold_state(events, *, follow_up_interval_months: int = 3) -> ParticipantState:
    """The state `replay(effective(events))` derives, without checking each step (any order in).

    A list page derives a whole team's states and needs none of the per-event problems that
    `replay` collects for validation, so this folds the log with the same `_on_<type>` steps in
    one tight loop; corrections are resolved only when the log has any. `events` need `id`,
    `type`, `date`, `seq`, `voids_event_id` and `data` (`LogEntry` rows or ORM events).
    """
    corrections = [(e.id, e.voids_event_id) for e in events if e.type == "correction"]
    if corrections:
        voided = voided_ids(corrections)
        events = [e for e in events if e.type != "correction" and e.id not in voided]
    events = sorted(events, key=_log_order)
    state = ParticipantState(follow_up_interval_months=follow_up_interval_months)
    if not events:
        return state
    state.first_contact_on, state.last_event_on = events[0].date, events[-1].date
    handlers = _HANDLERS
    for event in events:
        handler = handlers.get(event.type)
        if handler is not None:
            handler(state, event)
    return state
