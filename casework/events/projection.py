"""The state projection: each participant's folded state, kept beside the log.

Pages that list a team (the participant list, "Att göra") read one `participant_states` row per
participant instead of folding every log. A row holds what `fold_state` derives from the whole
effective log, and what the task list reads of the latest episode (`EpisodeMarks`), in a compact
JSON form with days as ordinals:

    p  phase                      f  first contact            l  last event
    r  referral received          o  referrer organisation    a  income at referral
    i  income sources             c  consents                 w  work training since
    x  erased (1)
    e  episodes: [enrolled, trial completed, exited, exit payload, last held follow-up,
                  bookings [[scheduled for, time, booking event id]]]
    m  marks of the latest episode: [latest half-year review, survey instruments, post-exit months done]

Absent keys are empty values. The team's settings (`follow_up_interval_months`) are applied when a
row is read, so a settings change needs no rebuild. A participant with no events has no row: the
initial state.

Kept in the transaction of every change to the log: `sync.py` refreshes the participants of the
events a session flushes; the import, which writes on the Core level, calls `refresh_states` for
those it wrote. `rebuild_states` makes it anew from the log.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from casework.db import replace_participant_rows
from casework.events.entries import STATE_COLUMNS, LogEntry
from casework.events.models import Event, KeptState
from casework.events.ordering import unvoided
from casework.events.state import Episode, ParticipantState, fold_state
from casework.extensions import db

BATCH = 500


@dataclass(frozen=True)
class EpisodeMarks:
    """What the task list reads of the latest episode's events (dated on or after its enrolment),
    beyond the state: the latest half-year review, the survey instruments answered and the
    `months_after` of the post-exit follow-ups recorded."""

    last_review_on: dt.date | None = None
    instruments: frozenset = frozenset()
    post_exit_months: frozenset = frozenset()


@dataclass
class Projected:
    """A participant's state as its log folds (the team's interval applied) and its episode marks."""

    state: ParticipantState
    marks: EpisodeMarks = field(default_factory=EpisodeMarks)


@dataclass
class RebuildCounts:
    participants: int = 0
    events: int = 0


def episode_marks(events: Iterable, state: ParticipantState) -> EpisodeMarks:
    """The marks of the state's latest episode in `events` (the effective log, any order)."""
    if state.episode is None:
        return EpisodeMarks()
    since = state.episode.enrolled_on
    reviews, instruments, months = [], set(), set()
    for event in events:
        if event.date < since:
            continue
        if event.type == "half_year_review":
            reviews.append(event.date)
        elif event.type == "survey":
            instruments.add(event.data.get("instrument"))
        elif event.type == "post_exit_follow_up":
            months.add(event.data.get("months_after"))
    return EpisodeMarks(max(reviews, default=None), frozenset(instruments), frozenset(months))


def project(log: list) -> Projected:
    """The state and marks of one log (any order, corrections included), as the projection keeps them."""
    events = [e for e in unvoided(log) if e.type != "correction"]
    state = fold_state(events)
    return Projected(state, episode_marks(events, state))


# --- encoding ------------------------------------------------------------------------------------

def _ordinal(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def _day(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


def encoded(projected: Projected) -> str:
    state, marks = projected.state, projected.marks
    record = {
        "p": state.phase, "f": _ordinal(state.first_contact_on), "l": _ordinal(state.last_event_on),
        "r": _ordinal(state.referral_on), "o": state.referrer_org, "a": state.income_at_referral,
        "i": state.income_sources, "c": sorted(state.consents), "w": _ordinal(state.work_training_since),
        "x": 1 if state.erased else None,
        "e": [[e.enrolled_on.toordinal(), _ordinal(e.trial_completed_on), _ordinal(e.exited_on), e.exit,
               _ordinal(e.last_held_follow_up), [[d.toordinal(), time, bid] for d, time, bid in e.bookings]]
              for e in state.episodes],
        "m": [_ordinal(marks.last_review_on), sorted(marks.instruments, key=str),
              sorted(marks.post_exit_months, key=str)] if marks != EpisodeMarks() else None,
    }
    return json.dumps({k: v for k, v in record.items() if v not in (None, [])}, separators=(",", ":"),
                      ensure_ascii=False)


def decoded(text: str, follow_up_interval_months: int) -> Projected:
    record = json.loads(text)
    state = ParticipantState(
        follow_up_interval_months=follow_up_interval_months, phase=record.get("p"),
        first_contact_on=_day(record.get("f")), last_event_on=_day(record.get("l")),
        referral_on=_day(record.get("r")), referrer_org=record.get("o"),
        income_at_referral=record.get("a", []), income_sources=record.get("i", []),
        consents=set(record.get("c", ())), work_training_since=_day(record.get("w")), erased=bool(record.get("x")),
        episodes=[Episode(dt.date.fromordinal(enrolled), _day(trial), _day(exited), exit_data, _day(held),
                          [(dt.date.fromordinal(d), time, bid) for d, time, bid in bookings])
                  for enrolled, trial, exited, exit_data, held, bookings in record.get("e", ())])
    marks = EpisodeMarks()
    if "m" in record:
        review, instruments, months = record["m"]
        marks = EpisodeMarks(_day(review), frozenset(instruments), frozenset(months))
    return Projected(state, marks)


# --- writing -------------------------------------------------------------------------------------

def _rows_of(connection, participant_ids: list[str], counts: RebuildCounts) -> list[dict]:
    logs: dict[str, list[LogEntry]] = defaultdict(list)
    for row in connection.execute(sa.select(*STATE_COLUMNS).where(Event.participant_id.in_(participant_ids))):
        logs[row[1]].append(LogEntry(*row))
    counts.participants += len(logs)
    counts.events += sum(len(log) for log in logs.values())
    return [{"participant_id": pid, "state": encoded(project(log))} for pid, log in logs.items()]


def refresh_states(participant_ids: Iterable[str], connection=None) -> RebuildCounts:
    """Make these participants' rows anew from their logs, in the caller's transaction.

    The one entry for writers that bypass the ORM (the import): call it, after inserting, with the
    ids of the participants whose events were written. ORM writes are refreshed by `sync.py`.
    """
    connection = connection if connection is not None else db.session.connection()
    counts = RebuildCounts()
    replace_participant_rows(connection, KeptState, participant_ids, lambda ids: _rows_of(connection, ids, counts), BATCH)
    return counts


def rebuild_states(connection=None, *, on_batch=None) -> RebuildCounts:
    """The whole projection made anew from the log, in the caller's transaction: a crash before its
    commit leaves it as it was."""
    connection = connection if connection is not None else db.session.connection()
    connection.execute(sa.delete(KeptState))
    ids = list(connection.execute(sa.select(Event.participant_id).distinct().order_by(Event.participant_id))
               .scalars())
    counts = RebuildCounts()
    for start in range(0, len(ids), BATCH):
        rows = _rows_of(connection, ids[start:start + BATCH], counts)
        if rows:
            connection.execute(sa.insert(KeptState), rows)
        if on_batch is not None:
            on_batch(counts)
    return counts


# --- reading -------------------------------------------------------------------------------------

def kept_states(participants: list, intervals: dict[str, int]) -> dict[str, Projected]:
    """The kept state and marks of each participant (one query per 500), with its team's
    follow-up interval (`intervals`, by team id) applied; the initial state for one with no events."""
    texts: dict[str, str] = {}
    ids = [p.id for p in participants]
    for start in range(0, len(ids), BATCH):
        query = sa.select(KeptState.participant_id, KeptState.state).where(
            KeptState.participant_id.in_(ids[start:start + BATCH]))
        texts.update(db.session.execute(query).all())
    found = {}
    for p in participants:
        interval = intervals[p.team_id]
        text = texts.get(p.id)
        found[p.id] = decoded(text, interval) if text else Projected(ParticipantState(follow_up_interval_months=interval))
    return found
