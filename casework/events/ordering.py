"""Ordering of a participant's log and resolution of corrections.

Both are pure functions so that derived state, validation and reports share one definition.
"""

from collections.abc import Iterable
from datetime import date
from typing import Protocol

# Events on the same day are applied in the order a real path takes them.
TYPE_RANK = {
    "study_visit": 0,
    "referral_received": 1,
    "referrer_changed": 2,
    "consent_given": 3,
    "identified": 3,
    "referral_withdrawn": 4,
    "enrolled": 5,
    "consent_withdrawn": 6,
    "trial_completed": 7,
    "assessment": 8,
    "action_plan": 8,
    "activity": 8,
    "half_year_review": 8,
    "survey": 8,
    "income_changed": 8,
    "facts_corrected": 8,
    "work_training_ended": 9,
    "work_training_started": 10,
    "follow_up": 11,
    "exited": 12,
    "post_exit_follow_up": 13,
    "erased": 14,
    "correction": 15,
}


class Orderable(Protocol):
    type: str
    date: date


def sort_key(event) -> tuple:
    """(date, type rank, recorded order); `seq` is the insertion order when the object has one."""
    return (event.date, TYPE_RANK.get(event.type, 8), getattr(event, "seq", 0) or 0)


def voided_ids(corrections: Iterable[tuple[str, str]]) -> set[str]:
    """The ids voided by a set of corrections, given as (correction id, voided id) pairs.

    A correction may itself be voided by a later correction, which restores what it voided.
    A correction always names an earlier event, so walking from the newest correction back to
    the oldest settles each one before anything that depends on it.
    """
    by_target: dict[str, list[str]] = {}
    for cid, vid in corrections:
        by_target.setdefault(vid, []).append(cid)

    memo: dict[str, bool] = {}

    def is_void(event_id: str) -> bool:
        if event_id in memo:
            return memo[event_id]
        memo[event_id] = False  # guards against malformed cycles
        result = any(not is_void(c) for c in by_target.get(event_id, ()))
        memo[event_id] = result
        return result

    return {vid for vid in by_target if is_void(vid)}


def effective(events: Iterable) -> list:
    """The events that count: corrections resolved, voided ones dropped, in log order."""
    return sorted(unvoided(events), key=sort_key)


def unvoided(events: Iterable) -> list:
    """The events that count, in the order given (for a reader to whom order does not matter)."""
    events = list(events)
    corrections = [(e.id, e.voids_event_id) for e in events if e.type == "correction"]
    if not corrections:
        return events
    voided = voided_ids(corrections)
    return [e for e in events if e.id not in voided]
