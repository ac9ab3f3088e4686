"""The report projection: each participant's path over its whole effective log, kept beside the log.

Reports read one row per participant that can count in their window (`report_paths`, indexed by
team and last day) instead of the participant's events. A row holds the participant's statistical
facts as its `facts_corrected` events leave them, and its path (`paths.path_of` over the effective
log, corrections resolved) in a compact JSON form with days as ordinals:

    e  episodes: [enrolled, referrer org, income sources, trial completed, exited, exit payload, held follow-ups]
    r  referrals: [received, resolved, org]        w  work training: [started, ended]
    s  steps: [day, kind, detail]                  g  group attendances: [day, kind, session, hours]
    v  surveys: [day, instrument, answers]
    x  every post-exit follow-up: [day, months after, status, whether an episode was open then]

What depends on the team's settings (`Episode.classify`: trial months, goal categories,
exclusions) is left to the report, so a settings change needs no rebuild. A report for a period
reads the path as the log stood at the period's end (`read_path` cuts it there): what happened
later is left out, while corrections and fact corrections count whatever their date, and a
post-exit follow-up after the end counts when no episode was open at the end — exactly what
reading the log up to the end gives (`service.load_all_facts`, the reference the tests compare with).

Kept in the transaction of every change to the log: `sync.py` refreshes the participants of the
events and participants a session flushes; the import, which writes on the Core level, calls
`refresh_participants` for those it wrote. `rebuild` makes it anew from the log.
"""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from casework.db import replace_participant_rows
from casework.events.models import Event
from casework.extensions import db
from casework.participants.models import Participant
from casework.reports.facts import EventFact, ParticipantFacts
from casework.reports.models import ReportPath
from casework.reports.paths import (
    REPORTED_TYPES,
    Episode,
    Path,
    Referral,
    effective_facts,
    path_of,
    with_corrected_facts,
)
from casework.teams.settings import TeamSettings

PARTICIPANT_COLUMNS = (Participant.id, Participant.team_id, Participant.gender, Participant.birth_year,
                       Participant.education, Participant.support_months_before)
EVENT_COLUMNS = (Event.id, Event.participant_id, Event.type, Event.date, Event.data, Event.seq, Event.voids_event_id)
# What a path is made of: the reported types and the fact corrections; an activity only when it is
# an attendance at a group session (the others never change a figure).
PROJECTED_TYPES = tuple(t for t in REPORTED_TYPES if t != "activity") + ("facts_corrected",)
BATCH = 500
# Classification is the report's (`read_path`); the stored path is built with any settings.
ANY_SETTINGS = TeamSettings()


@dataclass
class RebuildCounts:
    participants: int = 0
    events: int = 0
    paths: int = 0  # participants with anything a report can count


# --- writing -------------------------------------------------------------------------------------

def projected_row(person: ParticipantFacts, log: list[EventFact]) -> dict:
    """The `report_paths` row of one participant from its log (any order, corrections included)."""
    facts = with_corrected_facts([person], log)[0]
    effective = effective_facts([e for e in log if e.type != "facts_corrected"])
    path = path_of(facts, effective, ANY_SETTINGS)
    record = encoded(path, post_exits_of(effective))
    days = [day for day in _days_of(record) if day is not None]
    return {"participant_id": person.id, "team_id": person.team_id, "gender": facts.gender,
            "birth_year": facts.birth_year, "education": facts.education,
            "support_months_before": facts.support_months_before,
            "first_day": dt.date.fromordinal(min(days)) if days else None,
            "last_day": dt.date.fromordinal(max(days)) if days else None,
            "open": any(e[4] is None for e in record.get("e", ())) or any(r[1] is None for r in record.get("r", ())),
            "path": json.dumps(record, separators=(",", ":"), ensure_ascii=False)}


def post_exits_of(effective: list[EventFact]) -> list[list]:
    """Every effective post-exit follow-up, with whether an episode was open at it (as `path_of` walks)."""
    found, open_ = [], False
    for _, _, kind, day, data, _, _ in effective:
        if kind == "enrolled":
            open_ = True
        elif kind == "exited":
            open_ = False
        elif kind == "post_exit_follow_up":
            data = data or {}
            found.append([day.toordinal(), int(data.get("months_after", 0)), data.get("status"), open_])
    return found


def _ordinal(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def encoded(path: Path, post_exits: list[list]) -> dict:
    record = {
        "e": [[e.enrolled_on.toordinal(), e.referrer_org, list(e.income_before), _ordinal(e.trial_completed_on),
               _ordinal(e.exited_on), e.exit, [d.toordinal() for d in e.held_follow_ups]] for e in path.episodes],
        "r": [[r.received_on.toordinal(), _ordinal(r.resolved_on), r.org] for r in path.referrals],
        "w": [[s.toordinal(), _ordinal(e)] for s, e in path.work_training],
        "s": [[d.toordinal(), kind, detail] for d, kind, detail in path.steps],
        "g": [[d.toordinal(), *rest] for d, *rest in path.group_attendances],
        "v": [[d.toordinal(), instrument, answers] for d, instrument, answers in path.surveys],
        "x": post_exits,
    }
    return {key: value for key, value in record.items() if value}


def _days_of(record: dict) -> Iterable[int | None]:
    for enrolled, _, _, trial, exited, _, held in record.get("e", ()):
        yield from (enrolled, trial, exited, *held)
    for received, resolved, _ in record.get("r", ()):
        yield from (received, resolved)
    for started, ended in record.get("w", ()):
        yield from (started, ended)
    for key in ("s", "g", "v", "x"):
        for entry in record.get(key, ()):
            yield entry[0]


def _logs_of(connection, participant_ids: list[str]) -> dict[str, list[EventFact]]:
    query = sa.select(*EVENT_COLUMNS).where(Event.participant_id.in_(participant_ids), sa.or_(
        Event.type.in_(PROJECTED_TYPES),
        sa.and_(Event.type == "activity", Event.data["group_session_id"].as_string().is_not(None))))
    logs: dict[str, list[EventFact]] = defaultdict(list)
    for row in connection.execute(query):
        logs[row[1]].append(EventFact(*row))
    return logs


def _project_batch(connection, participant_ids: list[str], counts: RebuildCounts) -> list[dict]:
    people = connection.execute(sa.select(*PARTICIPANT_COLUMNS).where(Participant.id.in_(participant_ids))).all()
    logs = _logs_of(connection, participant_ids)
    counts.participants += len(people)
    counts.events += sum(len(log) for log in logs.values())
    rows = [projected_row(ParticipantFacts(*person), logs.get(person[0], [])) for person in people]
    counts.paths += sum(1 for row in rows if row["first_day"] is not None)
    return rows


def refresh_participants(participant_ids: Iterable[str], connection=None) -> RebuildCounts:
    """Make these participants' rows anew from their logs, in the caller's transaction.

    The one entry for writers that bypass the ORM (the import): call it, after inserting, with the
    ids of the participants whose events or facts were written. ORM writes are refreshed by `sync.py`.
    """
    connection = connection if connection is not None else db.session.connection()
    counts = RebuildCounts()
    replace_participant_rows(connection, ReportPath, participant_ids, lambda ids: _project_batch(connection, ids, counts), BATCH)
    return counts


def rebuild(team_ids: list[str] | None = None, connection=None, *, on_batch=None) -> RebuildCounts:
    """The projection of these teams (every team when None) made anew from the log, in the caller's
    transaction: a crash before its commit leaves the projection as it was."""
    connection = connection if connection is not None else db.session.connection()
    people = sa.select(Participant.id).order_by(Participant.id)
    existing = sa.delete(ReportPath)
    if team_ids is not None:
        people = people.where(Participant.team_id.in_(team_ids))
        existing = existing.where(ReportPath.team_id.in_(team_ids))
    connection.execute(existing)
    ids = list(connection.execute(people).scalars())
    counts = RebuildCounts()
    for start in range(0, len(ids), BATCH):
        rows = _project_batch(connection, ids[start:start + BATCH], counts)
        if rows:
            connection.execute(sa.insert(ReportPath), rows)
        if on_batch is not None:
            on_batch(counts)
    return counts


# --- reading -------------------------------------------------------------------------------------

class _Days(dict):
    """Ordinal → date, each day made once per load (a federation's paths share a few thousand days)."""

    def __missing__(self, ordinal: int) -> dt.date:
        day = self[ordinal] = dt.date.fromordinal(ordinal)
        return day


def load_paths(team_ids: list[str], end: dt.date, since: dt.date, settings_by_team: dict[str, TeamSettings],
               default: TeamSettings, whole_since: dt.date | None = None) -> list[Path]:
    """The paths of the teams' participants who can count in a window from `since` to `end`, as the
    log stood at `end`, classified by their team's settings. One indexed read of the projection:
    a participant whose path ends before `since`, with nothing open, counts nowhere in the window.

    With `whole_since`, a participant whose path ends before that day, with nothing open, gets its
    episodes alone: it can count only by its exits (in the throughput trend's earlier windows)."""
    if not team_ids:
        return []
    later = sa.case((ReportPath.last_day > end, 1), else_=0)
    whole = sa.case((sa.or_(ReportPath.open.is_(True), ReportPath.last_day >= (whole_since or since)), 1), else_=0)
    query = (sa.select(ReportPath.participant_id, ReportPath.team_id, ReportPath.gender, ReportPath.birth_year,
                       ReportPath.education, ReportPath.support_months_before, later, whole, ReportPath.path)
             .where(ReportPath.team_id.in_(team_ids), ReportPath.first_day <= end,
                    sa.or_(ReportPath.open.is_(True), ReportPath.last_day >= since)))
    days = _Days()
    end_ordinal = end.toordinal()
    loads = json.loads
    paths = []
    for pid, team_id, gender, birth_year, education, support, cut, full, text in db.session.connection().execute(query):
        person = ParticipantFacts(pid, team_id, gender, birth_year, education, support)
        record = loads(text)
        if not full:
            record = {"e": record.get("e", ())}
        paths.append(read_path(person, record, end_ordinal if cut else None, days,
                               settings_by_team.get(team_id, default)))
    return paths


def read_path(person: ParticipantFacts, record: dict, cut: int | None, days: _Days, settings: TeamSettings) -> Path:
    """The path of a stored record, cut at day `cut` (an ordinal; None when nothing is later)."""
    path = Path(person)
    if cut is not None:
        record = cut_record(record, cut)
    gender = person.gender
    for enrolled, org, income, trial, exited, exit_data, held in record.get("e", ()):
        episode = Episode(person, days[enrolled], org, tuple(income), None if trial is None else days[trial],
                          None if exited is None else days[exited], exit_data, [days[h] for h in held], gender=gender)
        episode.classify(settings)
        path.episodes.append(episode)
    path.referrals = [Referral(days[received], None if resolved is None else days[resolved], org)
                      for received, resolved, org in record.get("r", ())]
    path.work_training = [(days[s], None if e is None else days[e]) for s, e in record.get("w", ())]
    path.steps = [(days[d], kind, detail) for d, kind, detail in record.get("s", ())]
    path.group_attendances = [(days[d], kind, session, hours) for d, kind, session, hours in record.get("g", ())]
    path.surveys = [(days[d], instrument, answers) for d, instrument, answers in record.get("v", ())]
    path.post_exit = [(days[d], months, status) for d, months, status, was_open in record.get("x", ()) if not was_open]
    return path


def cut_record(record: dict, end: int) -> dict:
    """The record as the log stood at day `end` (an ordinal): later steps left out, later ends undone.

    A post-exit follow-up after `end` counts when no episode is open at `end` (the log read up to
    `end` would find the participant out of the programme then); one up to `end` as it did."""
    episodes = []
    for enrolled, org, income, trial, exited, exit_data, held in record.get("e", ()):
        if enrolled > end:
            continue
        if exited is not None and exited > end:
            exited, exit_data = None, {}
        episodes.append([enrolled, org, income, trial if trial is not None and trial <= end else None, exited,
                         exit_data, [h for h in held if h <= end]])
    open_at_end = any(e[4] is None for e in episodes)
    return {
        "e": episodes,
        "r": [[received, resolved if resolved is not None and resolved <= end else None, org]
              for received, resolved, org in record.get("r", ()) if received <= end],
        "w": [[s, e if e is not None and e <= end else None] for s, e in record.get("w", ()) if s <= end],
        **{key: [entry for entry in record.get(key, ()) if entry[0] <= end] for key in ("s", "g", "v")},
        "x": [[d, months, status, was_open if d <= end else open_at_end]
              for d, months, status, was_open in record.get("x", ())],
    }
