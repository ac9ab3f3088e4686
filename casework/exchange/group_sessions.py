"""Group session lines (DOMAIN.md §6): imported through the group service, exported from the logs.

A session's rules read its attendees' logs (enrolled on its date), so its lines are recorded after
the file's events are written, in the same transaction: a bad line raises `ImportRefused` with its
`line N: field: message`, and the caller's rollback leaves nothing written. A session whose id
the team already has is skipped, so re-importing a file adds nothing.

On export an attendance is not an event line of its own: the session's line recreates it, and a
correction of an attendance is already folded into the session's effective attendees and hours.
"""

import sqlalchemy as sa

from casework.errors import ValidationFailed
from casework.events.models import Event
from casework.exchange.records import Findings, GroupSessionRecord, ImportSummary
from casework.extensions import db
from casework.groups.models import GroupSession
from casework.groups.service import attendances, record_group_session
from casework.participants.models import Participant
from casework.teams.models import Team


def write_group_sessions(records: list[GroupSessionRecord], summary: ImportSummary) -> Findings:
    """Record each new session; the findings hold the lines refused."""
    findings = Findings()
    teams = {t.slug: t for t in db.session.scalars(sa.select(Team).where(Team.slug.in_({r.team for r in records})))}
    for record in records:
        team = teams.get(record.team)
        if team is None:
            findings.error(record.line, "team", "Unknown team.")
            continue
        if db.session.scalar(sa.select(GroupSession.id).where(GroupSession.team_id == team.id,
                                                              GroupSession.ext_id == record.ext_id)):
            summary.group_sessions_skipped += 1
            continue
        _record(team, record, findings, summary)
    return findings


def _record(team: Team, record: GroupSessionRecord, findings: Findings, summary: ImportSummary) -> None:
    by_ref = dict(db.session.execute(sa.select(Participant.ref, Participant.id).where(
        Participant.team_id == team.id, Participant.ref.in_(record.attendees))).all())
    unknown = [ref for ref in record.attendees if ref not in by_ref]
    if unknown:
        findings.error(record.line, "attendees", f"Unknown participant of this team: {', '.join(unknown)}.")
        return
    try:
        record_group_session(team, day=record.date, kind=record.kind, hours=record.hours,
                             attendee_ids=[by_ref[ref] for ref in record.attendees], note=record.note,
                             ext_id=record.ext_id)
    except ValidationFailed as exc:
        findings.error(record.line, exc.field or "line", exc.message)
        return
    summary.group_sessions_added += 1
    summary.participant_ids.update(by_ref.values())


def attendance_event_ids(team: Team) -> set[str]:
    """The team's attendance events and the corrections that void them (or void those): not exported
    as event lines, since the session lines stand for them."""
    activities = db.session.execute(sa.select(Event.id, Event.data).where(Event.team_id == team.id,
                                                                          Event.type == "activity")).all()
    left_out = {eid for eid, data in activities if (data or {}).get("group_session_id")}
    corrections = db.session.execute(sa.select(Event.id, Event.voids_event_id).where(
        Event.team_id == team.id, Event.type == "correction")).all()
    grown = True
    while grown:
        before = len(left_out)
        left_out |= {cid for cid, target in corrections if target in left_out}
        grown = len(left_out) > before
    return left_out


def group_session_records(team: Team, refs: dict[str, str], readable: set[str]) -> list[dict]:
    """A line per session with effective attendees; its note from an attendee whose notes are exported."""
    lines = []
    for session in db.session.scalars(sa.select(GroupSession).where(GroupSession.team_id == team.id)
                                      .order_by(GroupSession.date, GroupSession.ext_id)):
        attended = attendances(session)
        if not attended:
            continue
        first = next(iter(attended.values()))
        record = {"record": "group_session", "id": session.ext_id, "team": team.slug,
                  "date": session.date.isoformat(), "kind": session.kind, "hours": first.data.get("hours"),
                  "attendees": sorted(refs[pid] for pid in attended)}
        note = next((e.note for pid, e in attended.items() if pid in readable), None)
        if note:
            record["note"] = note
        lines.append(record)
    return lines


