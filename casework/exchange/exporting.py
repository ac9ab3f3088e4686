"""Exporting a team as JSON Lines (DOMAIN.md §6), the format `import_lines` reads back.

The read is access-logged. What the export leaves out (personal data and notes of erased
participants and of those without the `statistics` consent) is described on `export_team`.
"""

from collections import defaultdict
from collections.abc import Iterator

import sqlalchemy as sa

from casework.audit.access_log import log_access
from casework.audit.security import security_event
from casework.crypto import service as crypto
from casework.events.models import Event
from casework.events.registry import event_type
from casework.exchange.group_sessions import attendance_event_ids, group_session_records
from casework.exchange.lines import encode_line
from casework.exchange.organisation import export_organisation
from casework.exchange.records import FACTS
from casework.extensions import db
from casework.participants.models import Participant
from casework.participants.service import decrypted_personal_data
from casework.protection.consent import excluded_from_detailed_exports
from casework.reports.history import history_rows
from casework.teams.models import Team


def export_team(team: Team, user=None) -> Iterator[str]:
    """The team, its participants and their logs as JSON Lines; the read is access-logged.

    Erased participants, and those who declined or withdrew the `statistics` consent (no detailed
    export of them, see `protection.consent`), are exported with their facts and logs only: no
    personal data and no notes. So every report still comes out the same after an import.
    """
    participants = list(db.session.scalars(sa.select(Participant).where(Participant.team_id == team.id)
                                           .order_by(Participant.ref)))
    withheld = excluded_from_detailed_exports(p.id for p in participants)
    readable = {p.id for p in participants if p.erased_at is None and p.id not in withheld}
    log_access(user, [p.id for p in participants if p.id in readable], "export")
    security_event("export", kind="team", team=team.slug, count=len(participants), user_id=getattr(user, "id", None))
    crypto.preload_data_keys(readable)
    events: dict[str, list[Event]] = defaultdict(list)
    for event in db.session.scalars(sa.select(Event).where(Event.team_id == team.id).order_by(Event.seq)):
        events[event.participant_id].append(event)
    lines = [encode_line({"record": "team", "slug": team.slug, "name": team.name, "federation": team.federation.name,
                    "settings": team.settings_json})]
    identified = {e.participant_id for e in (e for log in events.values() for e in log) if e.type == "identified"}
    lines.extend(encode_line(_participant_record(team, p, p.id in readable, p.id in identified)) for p in participants)
    attendance = attendance_event_ids(team)
    for participant in participants:
        lines.extend(encode_line(_event_record(participant, e, participant.id in readable))
                     for e in events[participant.id] if e.id not in attendance)
    lines.extend(encode_line(record) for record in group_session_records(team, {p.id: p.ref for p in participants},
                                                                           readable))
    lines.extend(encode_line({"record": "history", "team": team.slug, "from": h.period_start.isoformat(),
                              "to": h.period_end.isoformat(), "figures": h.figures, "source": h.source})
                 for h in history_rows([team.id]))
    lines.extend(encode_line(line) for line in export_organisation(team))
    return iter(lines)


def _participant_record(team: Team, participant: Participant, readable: bool, identified_later: bool) -> dict:
    """A participant identified by an `identified` event is written as registered: anonymous (its
    personal data goes with that event, so an import identifies it again)."""
    record = {"record": "participant", "ref": participant.ref, "team": team.slug,
              **{name: getattr(participant, name) for name in FACTS}}
    if identified_later:
        record["anonymous"] = True
    elif readable and not participant.anonymous:
        record["personal"] = decrypted_personal_data(participant).to_dict()
    return record


def _event_record(participant: Participant, event: Event, readable: bool) -> dict:
    data = dict(event.data or {})
    if readable and event.type == "identified":
        data["personal"] = decrypted_personal_data(participant).to_dict()  # as rectified since, if it was
    elif readable:
        data.update(event.personal)
    order = list(event_type(event.type).schema._declared_fields)
    data = {name: data[name] for name in sorted(data, key=lambda n: order.index(n) if n in order else len(order))}
    record = {"record": "event", "id": event.ext_id, "ref": participant.ref, "type": event.type,
              "date": event.date.isoformat(), "data": data}
    note = event.note if readable else None
    if note is not None:
        record["note"] = note
    return record
