"""Subject access (Art. 15) and portability (Art. 20): a participant's whole record, decrypted.

The export is written to the access log once, with purpose `subject_access`. An erased
participant's export holds what remains: facts and the event log without personal data.
"""

import datetime as dt
from dataclasses import asdict

import sqlalchemy as sa

from casework.audit.access_log import log_access, pending_reads
from casework.audit.models import AccessLogEntry
from casework.audit.security import security_event
from casework.errors import PermissionDenied
from casework.events.ordering import sort_key, voided_ids
from casework.events.registry import event_type
from casework.events.service import log_of, state_of
from casework.extensions import db
from casework.participants.models import Participant
from casework.participants.service import decrypted_personal_data
from casework.protection import permissions
from casework.protection.models import LegalHold
from casework.protection.rectification import history_of
from casework.vocab import ROLES

PURPOSE = "subject_access"


def subject_access_record(participant: Participant, user=None) -> dict:
    """The record as JSON-ready data. `user` None is the server operator (CLI)."""
    if user is not None and not permissions.can_export_subject_access(user, participant):
        raise PermissionDenied("subject_access.team_only", "Only the participant's team may export their record.")
    log_access(user, [participant.id], PURPOSE)
    security_event("subject_access_export", participant_id=participant.id, user_id=getattr(user, "id", None))
    readable = participant.erased_at is None and not participant.anonymous
    events = log_of(participant.id)
    state = state_of(participant, events)
    team = participant.team
    return {
        "format": "casework-subject-access/1",
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "controller": {"team": team.name, "federation": team.federation.name},
        "participant": {
            "id": participant.id, "ref": participant.ref, "anonymous": participant.anonymous,
            "gender": participant.gender, "birth_year": participant.birth_year, "education": participant.education,
            "support_months_before": participant.support_months_before,
            "registered_at": participant.created_at.isoformat(timespec="seconds"),
            "erased_at": participant.erased_at.isoformat(timespec="seconds") if participant.erased_at else None,
        },
        "personal": asdict(decrypted_personal_data(participant)) if readable else None,
        "phase": state.phase,
        "consents": sorted(state.consents),
        "events": _events(participant, events, readable),
        "rectification_history": history_of(participant) if readable else [],
        "legal_holds": _holds(participant),
        "reads": _reads(participant),
    }


def _events(participant: Participant, events, readable: bool) -> list[dict]:
    voided = voided_ids((e.id, e.voids_event_id) for e in events if e.type == "correction")
    rows = []
    for e in sorted(events, key=sort_key):
        rows.append({
            "id": e.ext_id, "type": e.type, "label": event_type(e.type).label, "date": e.date.isoformat(),
            "data": e.data, "voided": e.id in voided,
            "personal": e.personal if readable else {},
            "note": e.note if readable else None,
            "recorded_at": e.recorded_at.isoformat(timespec="seconds"),
        })
    return rows


def _holds(participant: Participant) -> list[dict]:
    holds = db.session.scalars(sa.select(LegalHold).where(LegalHold.participant_id == participant.id)
                               .order_by(LegalHold.set_at))
    return [{"set_at": h.set_at.isoformat(timespec="seconds"), "reason": h.reason,
             "released_at": h.released_at.isoformat(timespec="seconds") if h.released_at else None} for h in holds]


def _reads(participant: Participant) -> list[dict]:
    """Who (by role) has read the personal data, when and why: Art. 15(1)(c) recipients; also
    the reads of this request or command, which the log writes only when it ends."""
    from casework.auth.models import User

    rows = list(db.session.execute(sa.select(AccessLogEntry.at, AccessLogEntry.purpose, User.role)
                                   .outerjoin(User, User.id == AccessLogEntry.user_id)
                                   .where(AccessLogEntry.participant_id == participant.id)
                                   .order_by(AccessLogEntry.id)))
    pending = [read for read in pending_reads() if read.participant_id == participant.id]
    roles = dict(db.session.execute(sa.select(User.id, User.role).where(
        User.id.in_({read.user_id for read in pending if read.user_id}))).all()) if pending else {}
    rows += [(read.at, read.purpose, roles.get(read.user_id)) for read in pending]
    return [{"at": at.isoformat(timespec="seconds"), "purpose": purpose,
             "role": ROLES.get(role, "system") if role else "system"} for at, purpose, role in rows]


def render_html(record: dict) -> str:
    from flask import render_template

    from casework import vocab

    return render_template("protection/subject_access.html", record=record, vocab=vocab)
