"""Writing a checked import: teams through the team service, participants and events in bulk.

Rows are built as `register_participant` and `append_event` build them (`build_participant`,
`event_values`: the same encryption and rules) and inserted many at a time, without an ORM
object per event. Nothing here checks: `checking` has, and the caller writes only a clean plan.
"""

import json

import sqlalchemy as sa

from casework.crypto import service as crypto
from casework.crypto.models import DataKey
from casework.db import utcnow
from casework.events.models import Event
from casework.events.projection import refresh_states
from casework.events.service import event_values
from casework.exchange.organisation import write_organisation
from casework.exchange.records import ImportSummary, Plan
from casework.extensions import db
from casework.participants.models import Participant
from casework.participants.service import build_participant, write_personal
from casework.reports.history import add_history
from casework.teams.models import Team
from casework.teams.service import same_settings, save_team
from casework.teams.settings import load_settings

INSERT_BATCH = 5000


def write_plan(plan: Plan) -> ImportSummary:
    """Write a checked plan: teams, then participants and events in bulk (only flushes)."""
    summary = ImportSummary(team_slugs=list(dict.fromkeys(
        [t.slug for t in plan.teams] + [p.team for p in plan.participants] + [k[0] for k in plan.events_by_key]
        + [h.team for h in plan.history] + [o.team for o in plan.organisation])))
    teams = _write_teams(plan, summary)
    identifications = {(record.team, record.ref): record for record in plan.events
                       if record.type == "identified" and not record.skip}
    participants = _write_participants(plan, teams, summary, identifications)
    _identify_registered(plan, identifications)
    _write_events(plan, participants, summary)
    refresh_states({participants[key].id for key in plan.events_by_key}, db.session.connection())
    _write_history(plan, teams, summary)
    write_organisation(plan, teams, summary)
    return summary


def _identify(participant: Participant, record) -> None:
    """What `participants.identification.identify` writes, for an `identified` line."""
    participant.anonymous = False
    write_personal(participant, record.personal.get("personal", {}), record.normalised_pnr)


def _identify_registered(plan: Plan, identifications: dict) -> None:
    """Participants already in the database identified by the file (few: one row each)."""
    for key, record in identifications.items():
        if key in plan.db_participants:
            _identify(plan.db_participants[key], record)
    db.session.flush()


def _write_teams(plan: Plan, summary: ImportSummary) -> dict[str, Team]:
    teams = dict(plan.db_teams)
    for record in plan.teams:
        existing = teams.get(record.slug)
        wanted = load_settings(record.settings).to_dict()
        if existing is not None and (existing.name, existing.federation.name) == (record.name, record.federation) \
                and same_settings(existing.settings_json, wanted):
            summary.teams_unchanged += 1
            continue
        teams[record.slug] = save_team(record.slug, record.name, record.federation, record.settings)
        if existing is None:
            summary.teams_added += 1
        else:
            summary.teams_updated += 1
    return teams


def _write_participants(plan: Plan, teams: dict[str, Team], summary: ImportSummary, identifications: dict) -> dict:
    """Built (and encrypted) as `register_participant` does, after the same checks, then inserted in bulk;
    one the file also identifies is inserted identified (its `identified` line is written as an event)."""
    participants = dict(plan.db_participants)
    rows: list[dict] = []
    keys: list[dict] = []
    for record in plan.participants:
        if record.existing is not None:
            summary.participants_skipped += 1
            continue
        participant, key = build_participant(teams[record.team], record.loaded, record.loaded.get("normalised_pnr"),
                                             ref=record.ref)
        if (record.team, record.ref) in identifications:
            _identify(participant, identifications[(record.team, record.ref)])
        participants[(record.team, record.ref)] = participant
        rows.append(_row(participant))
        keys.append(_row(key))
    _insert(Participant.__table__, rows)
    _insert(DataKey.__table__, keys)
    summary.participants_added = len(rows)
    return participants


def _row(obj) -> dict:
    """The column values of a new, unsaved object, with the columns' defaults filled in."""
    return {column.key: _value_or_default(column, getattr(obj, column.key)) for column in obj.__table__.columns}


def _value_or_default(column: sa.Column, value):
    if value is None and column.default is not None:
        return column.default.arg(None) if column.default.is_callable else column.default.arg
    return value


def _write_events(plan: Plan, participants: dict, summary: ImportSummary) -> None:
    """Built through `event_values`, as `append_event` builds them, and inserted in batches."""
    defaults = {"recorded_at": utcnow(), "recorded_by_id": None}
    crypto.preload_data_keys(participants[key].id for key in plan.events_by_key)
    existing_seq = {pid: max(e.seq for e in events) for pid, events in plan.existing_events.items() if events}
    built: dict[str, str] = {}
    rows: list[dict] = []
    for key, records in plan.events_by_key.items():
        participant = participants[key]
        seq = existing_seq.get(participant.id, 0)
        for record in records:
            if record.skip:
                summary.events_skipped += 1
                continue
            seq += 1
            row = event_values(participant, record.type, record.date, record.public, record.personal, record.note,
                               seq=seq, ext_id=record.ext_id, voids_event_id=built.get(record.target, record.target))
            built[record.proxy_id] = row["id"]
            rows.append({**defaults, **row})
            if len(rows) >= INSERT_BATCH:
                _insert(Event.__table__, rows)
                summary.events_added += len(rows)
                rows = []
    if rows:
        _insert(Event.__table__, rows)
        summary.events_added += len(rows)


def _write_history(plan: Plan, teams: dict[str, Team], summary: ImportSummary) -> None:
    for record in plan.history:
        if record.skip:
            summary.history_skipped += 1
            continue
        add_history(teams[record.team].id, record.start, record.end, record.figures, record.source)
        summary.history_added += 1


def _insert(table: sa.Table, rows: list[dict]) -> None:
    """Many rows at once: executemany on SQLite, COPY on PostgreSQL (where the driver would
    otherwise send one INSERT per row), both inside the session's transaction."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(sa.insert(table), rows)
        return
    columns = list(table.columns)
    as_json = [isinstance(c.type, sa.JSON) for c in columns]
    names = ", ".join(connection.dialect.identifier_preparer.quote(c.name) for c in columns)
    with (connection.connection.driver_connection.cursor() as cursor,
          cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy):
            for row in rows:
                values = [row[c.key] if c.key in row else _value_or_default(c, None) for c in columns]
                copy.write_row([json.dumps(v) if j and v is not None else v
                                for v, j in zip(values, as_json, strict=True)])
