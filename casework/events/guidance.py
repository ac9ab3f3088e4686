"""Which steps a coach may record now, and which of them most likely comes next.

Derived from the participant's state and the rules of `state.ParticipantState` (the same checks
that refuse an event): a step is "valid now" when an event of its type dated today would be
accepted. Among the valid steps, `LIKELY_NEXT` orders the ones a coach usually records in each
phase; the other valid steps follow in registry order. Steps that are not valid today (but may be
for an earlier date, e.g. a forgotten follow-up before an exit) are kept apart.
"""

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from casework.events.state import ParticipantState

# phase -> the steps usually recorded next, likeliest first (None: nothing recorded yet)
LIKELY_NEXT: dict[str | None, tuple[str, ...]] = {
    None: ("study_visit", "referral_received"),
    "visited": ("referral_received", "study_visit"),
    "queued": ("enrolled", "referral_withdrawn", "referrer_changed"),
    "withdrawn": ("referral_received", "study_visit"),
    "in_trial": ("trial_completed", "assessment", "action_plan", "follow_up", "activity"),
    "enrolled": ("follow_up", "half_year_review", "activity", "work_training_started", "exited"),
    "exited": ("post_exit_follow_up", "referral_received", "study_visit"),
}


@dataclass(frozen=True)
class StepChoice:
    suggested: list[str]  # valid today, likeliest first; the first is the one to offer open
    valid: list[str]  # the other steps valid today
    earlier_only: list[str]  # refused today, possibly valid for an earlier date

    @property
    def first(self) -> str | None:
        return (self.suggested or self.valid or [None])[0]


def valid_now(state: ParticipantState, type_name: str, today: dt.date) -> bool:
    """Would an event of this type dated today pass the log rules? (Its payload is checked later.)"""
    probe = SimpleNamespace(id="", type=type_name, date=today, data={}, voids_event_id=None)
    return not state.refusals(probe)


def likely_order(state: ParticipantState) -> tuple[str, ...]:
    """The phase's usual next steps, with what the state itself asks for moved first."""
    urgent = []
    if state.work_training_since is not None:
        urgent.append("work_training_ended")
    if state.next_booking is not None:
        urgent.append("follow_up")
    usual = LIKELY_NEXT.get(state.phase, ())
    return tuple(dict.fromkeys([*urgent, *usual]))


def choose_steps(state: ParticipantState, types: list[str], today: dt.date) -> StepChoice:
    """Split the recordable `types` into suggested, other valid, and not-valid-today steps."""
    valid = [t for t in types if valid_now(state, t, today)]
    suggested = [t for t in likely_order(state) if t in valid]
    return StepChoice(suggested=suggested, valid=[t for t in valid if t not in suggested],
                      earlier_only=[t for t in types if t not in valid])
