"""A participant's log in the JSON API: the timeline, appending a step, correcting one."""

from casework.auth.permissions import can_correct_event, can_read_participant, can_record_event
from casework.errors import NotFound, PermissionDenied
from casework.events.models import Event
from casework.events.registry import event_type
from casework.events.schemas import CorrectionInputSchema, EventInputSchema, EventOutSchema
from casework.events.service import append_event, correct_event, decrypted_timeline, log_of
from casework.participants.api import load_participant
from casework.web.api import api_blueprint, current_api_user, error_responses

blp = api_blueprint("api_events", __name__, "A participant's event log (coaches and team leads of the team).")


@blp.route("/participants/<ident>/events")
@blp.response(200, EventOutSchema(many=True))
@error_responses(401, 403, 404)
def list_events(ident: str):
    """The whole log, newest first, voided events flagged; notes decrypted (the read is access-logged)."""
    user = current_api_user()
    participant = load_participant(ident, user)
    if not can_read_participant(user, participant):
        raise PermissionDenied("participant.read_denied", "You may not read this participant.")
    return [event_out(row["event"], voided=row["voided"], note=row["note"], personal=row["personal"])
            for row in decrypted_timeline(participant, user, "api_timeline")]


@blp.route("/participants/<ident>/events", methods=["POST"])
@blp.arguments(EventInputSchema)
@blp.response(201, EventOutSchema)
@error_responses(401, 403, 404)
def append(data: dict, ident: str):
    """Append one step; refused (422, nothing written) when it does not fit the log."""
    user = current_api_user()
    participant = load_participant(ident, user)
    if not can_record_event(user, participant):
        raise PermissionDenied("event.record_denied", "You may not record events for this participant.")
    event = append_event(participant, data["type"], data["date"], data["data"], data["note"], user=user,
                         confirm_warnings=data["confirm_warnings"])
    return _written(participant, event, note=data["note"])


@blp.route("/participants/<ident>/events/<event_id>/correction", methods=["POST"])
@blp.arguments(CorrectionInputSchema)
@blp.response(201, EventOutSchema)
@error_responses(401, 403, 404)
def correct(data: dict, ident: str, event_id: str):
    """Void one event of this participant with a reason (a new `correction` event; nothing is edited)."""
    user = current_api_user()
    participant = load_participant(ident, user)
    target = next((e for e in log_of(participant.id) if event_id in (e.id, e.ext_id)), None)
    if target is None:
        raise NotFound("event.not_found", "No such event in this participant's log.", "event")
    if not can_correct_event(user, participant, target):
        raise PermissionDenied("event.correct_denied", "You may not correct this event.")
    event = correct_event(participant, target.id, data["reason"], user=user, day=data["date"])
    return _written(participant, event, note=None)


def _written(participant, event: Event, *, note: str | None) -> dict:
    """The new event as recorded; its personal payload is what the caller just sent."""
    personal = event.personal if event.personal_enc is not None else None
    return event_out(event, voided=False, note=note, personal=personal)


def event_out(event: Event, *, voided: bool, note: str | None, personal: dict | None) -> dict:
    return {
        "id": event.id, "ext_id": event.ext_id, "seq": event.seq, "type": event.type,
        "label": event_type(event.type).label, "date": event.date, "data": event.data,
        "personal": personal or None, "note": note, "voided": voided, "voids": event.voids_event_id,
        "recorded_at": event.recorded_at, "recorded_by": event.recorded_by_id,
    }
