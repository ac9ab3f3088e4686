"""The rules that decide whether events may follow a participant's log so far.

Both ways of writing events apply them from here: `service.append_event` and `correct_event`
(one event, refused with its first problem) and the bulk importer (many events per participant,
each problem reported on its line). They are pure: they read events (anything with `id`, `type`,
`date`, `data`, `seq` and `voids_event_id`) and never the database, and they raise or return the
same messages whichever way the event came in.
"""

import copy
import datetime as dt
from bisect import bisect_left

from casework.errors import Coded, ValidationFailed
from casework.events.ordering import effective, sort_key, voided_ids
from casework.events.state import LogProblem, ParticipantState, fold_state, replay
from casework.text import normalise_newlines, text_problem

EARLIEST_DATE = dt.date(2000, 1, 1)
LATER_STEP = "This would break a later step: "


def check_date(day, today: dt.date | None = None) -> dt.date:
    """The event's date, parsed from ISO text if need be: not in the future, not before 2000."""
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            raise ValidationFailed("date.invalid", "Not a date (YYYY-MM-DD).", "date") from None
    if not isinstance(day, dt.date):
        raise ValidationFailed("date.required", "A date is required.", "date")
    if day > (today or dt.date.today()):
        raise ValidationFailed("date.in_future", "The date is in the future.", "date")
    if day < EARLIEST_DATE:
        raise ValidationFailed("date.too_early", "The date is too far in the past.", "date")
    return day


def check_note(note: str | None) -> str | None:
    """A note is free text (newlines allowed) that must be storable; the schemas and forms check
    it first with a message on the field, this is the last line for callers that pass text on."""
    if not note:
        return note
    note = normalise_newlines(note)
    if problem := text_problem(note, multiline=True):
        raise ValidationFailed(problem, "note")
    return note


def check_identifying(personal: dict, note: str | None, *, anonymous: bool, erased: bool) -> None:
    """Nothing identifying for an erased participant (there is no key left), no notes for an anonymous one."""
    if erased and (personal or note):
        raise ValidationFailed("event.erased_identifying",
                               "Nothing identifying may be recorded for an erased participant.", "note")
    if anonymous and note:
        raise ValidationFailed("event.anonymous_note", "No case notes are kept for an anonymous participant.", "note")


def check_correction(target, log, day, today: dt.date | None = None) -> dt.date:
    """A correction dated `day` may void `target`, an event of `log`: returns the checked date.

    An erasure is never voided, nor an event already voided by a correction of `log`, and a
    correction is not dated before what it voids. Errors name the field "voids" or "date".
    """
    if target.type == "erased":
        raise ValidationFailed("event.erasure_not_voidable", "An erasure cannot be voided.", "voids")
    if target.type == "identified":
        raise ValidationFailed("event.identification_not_voidable",
                               "An identification cannot be voided; rectify the personal data instead.", "voids")
    if target.id in voided_ids((e.id, e.voids_event_id) for e in log if e.type == "correction"):
        raise ValidationFailed("event.already_voided", "That event is already voided.", "voids")
    day = check_date(day, today)
    if day < target.date:
        raise ValidationFailed("event.correction_before_target",
                               "A correction cannot be dated before the event it voids.", "date")
    return day


def problems_added(existing, new, *, follow_up_interval_months: int = 3) -> list[LogProblem]:
    """What appending the `new` events (corrections included) to the `existing` log breaks.

    Both logs are replayed, corrections resolved; problems the log already had are ignored. Each
    problem names a new event: its own, or, when the new events break a later existing step, the
    first new event, on its date, with the message prefixed by `LATER_STEP`.
    """
    new = list(new)
    existing = list(existing)
    _, before = replay(effective(existing), follow_up_interval_months=follow_up_interval_months)
    _, after = replay(effective([*existing, *new]), follow_up_interval_months=follow_up_interval_months)
    return _added(before, after, new)


def problems_appended(existing, event, *, follow_up_interval_months: int = 3) -> list[LogProblem]:
    """`problems_added(existing, [event])` for one new event that is not a correction, reading
    the log once instead of replaying it twice.

    An event that voids nothing cannot change what comes before it in log order: that part is
    folded once without its checks (`fold_state`), and only the steps from the new event on are
    replayed, with and without it. A new step is usually the newest, so that is the event alone.
    Property-tested against `problems_added`.
    """
    if event.type == "correction":
        return problems_added(existing, [event], follow_up_interval_months=follow_up_interval_months)
    events = effective(existing)
    split = bisect_left(events, sort_key(event), key=sort_key)
    state = fold_state([e for e in events[:split] if e.type != "correction"],
                       follow_up_interval_months=follow_up_interval_months)
    later = events[split:]
    before = _replayed_from(copy.deepcopy(state), later) if later else []
    after = _replayed_from(state, [*later, event])
    return _added(before, after, [event])


def _replayed_from(state: ParticipantState, events) -> list[LogProblem]:
    """Apply `events` (in log order; corrections skipped, as `replay` does) to `state`, with their checks."""
    problems: list[LogProblem] = []
    for event in sorted((e for e in events if e.type != "correction"), key=sort_key):
        problems.extend(state.apply(event))
    return problems


def _added(before: list[LogProblem], after: list[LogProblem], new: list) -> list[LogProblem]:
    known = {(p.event_id, p.message) for p in before}
    new_ids = {e.id for e in new}
    added = []
    for problem in after:
        if (problem.event_id, problem.message) in known:
            continue
        if problem.event_id in new_ids:
            added.append(problem)
        else:
            message = Coded("event.breaks_later_step", f"{LATER_STEP}{problem.message}", problem=problem.message)
            added.append(LogProblem(new[0].id, "date", message))
    return added
