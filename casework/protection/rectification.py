"""Rectification (Art. 16): correct a participant's personal fields.

The previous value is kept, encrypted with the participant's own key, in `personal_history`
until erasure (which deletes those rows with the key). The blind index follows a corrected
personnummer.
"""

import json

from marshmallow import ValidationError, fields, validate, validates_schema

from casework.audit.access_log import log_access
from casework.crypto import service as crypto
from casework.db import new_id
from casework.errors import Coded, Conflict, PermissionDenied, ValidationFailed
from casework.extensions import db
from casework.participants import personnummer as pnr
from casework.participants.models import Participant
from casework.participants.schemas import PersonalSchema
from casework.participants.service import CONTACT_FIELDS, find_by_personnummer
from casework.protection import permissions
from casework.protection.models import PersonalHistory


class RectificationSchema(PersonalSchema):
    """The fields to correct; an empty contact field removes it, name and personnummer stay required."""

    phone = fields.String(validate=validate.Length(max=40))
    address = fields.String(validate=validate.Length(max=300))
    email = fields.String(validate=validate.Length(max=254))

    @validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ValidationError(Coded("rectification.nothing", "Nothing to correct."), "personal")
        if data.get("email"):
            try:
                fields.Email().deserialize(data["email"])
            except ValidationError as exc:
                raise ValidationError(exc.messages, "email") from None


def _load(raw: dict) -> dict:
    try:
        return RectificationSchema().load({k: v.strip() if isinstance(v, str) else v for k, v in raw.items()},
                                          unknown="raise")
    except ValidationError as exc:
        raise ValidationFailed("rectification.invalid", "Invalid correction.", errors=exc.messages) from None


def rectify_personal(participant: Participant, raw: dict, user=None) -> list[str]:
    """Correct the given fields; returns the names of the fields that changed (history kept)."""
    if user is not None and not permissions.can_rectify_participant(user, participant):
        raise PermissionDenied("rectification.team_only",
                               "Only the participant's team may correct their personal data.")
    if participant.erased_at is not None:
        raise Conflict("participant.erased", "The participant's personal data has been erased.", "participant")
    if participant.anonymous:
        raise ValidationFailed("rectification.anonymous",
                               "No personal data is kept for an anonymous participant.", "personal")
    data = _load(raw)
    log_access(user, [participant.id], "rectification")
    changed = []
    if "name" in data:
        previous = participant.name
        if data["name"] != previous:
            _keep(participant, "name", previous, user)
            participant.name = data["name"]
            changed.append("name")
    if "personnummer" in data:
        changed += _rectify_personnummer(participant, data["personnummer"], user)
    contact_changes = {k: data[k] for k in CONTACT_FIELDS if k in data}
    if contact_changes:
        previous = participant.contact
        updated = {k: v for k, v in (previous | contact_changes).items() if v}
        if updated != previous:
            _keep(participant, "contact", json.dumps(previous, ensure_ascii=False, sort_keys=True), user)
            participant.contact = updated
            changed.append("contact")
    db.session.flush()
    return changed


def _rectify_personnummer(participant: Participant, number: str, user) -> list[str]:
    normalised = pnr.normalise(number)
    previous = participant.personnummer
    if normalised == previous:
        return []
    if int(normalised[:4]) != participant.birth_year:
        raise ValidationFailed("rectification.birth_year_mismatch", "The birth year does not match the personnummer; "
                               "the birth year is a statistical fact and is not changed by a rectification.",
                               "personnummer")
    if any(p.id != participant.id for p in find_by_personnummer(normalised, [participant.team_id])):
        raise Conflict("participant.personnummer_taken",
                       "A participant with this personnummer is already registered in the team.", "personnummer")
    _keep(participant, "personnummer", previous, user)
    participant.personnummer = normalised
    participant.pnr_index = crypto.blind_index(normalised)
    return ["personnummer"]


def _keep(participant: Participant, field: str, value: str | None, user) -> None:
    row = PersonalHistory(id=new_id(), participant_id=participant.id, field=field,
                          changed_by_id=getattr(user, "id", None))
    row.value = value
    db.session.add(row)


def history_of(participant: Participant) -> list[dict]:
    """The previous values, decrypted (callers log the read)."""
    rows = db.session.scalars(db.select(PersonalHistory).where(PersonalHistory.participant_id == participant.id)
                              .order_by(PersonalHistory.changed_at))
    return [{"field": r.field, "changed_at": r.changed_at.isoformat(),
             "previous_value": r.value}
            for r in rows]
