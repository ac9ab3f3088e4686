"""Marshmallow schemas of the events API. Payloads (`data`) are validated per type by the registry."""

from marshmallow import Schema, fields, validate

from casework.events.registry import EVENT_TYPES
from casework.schemas import InputSchema

RECORDABLE_TYPES = [name for name, t in EVENT_TYPES.items() if t.recordable]


class EventInputSchema(InputSchema):
    multiline_fields = ("note",)
    payload_fields = ("data",)

    type = fields.String(required=True, validate=validate.OneOf(RECORDABLE_TYPES))
    date = fields.Date(required=True, metadata={"description": "The day it happened; not in the future."})
    data = fields.Dict(keys=fields.String(validate=validate.Length(max=60)), load_default=dict, metadata={
        "description": "The payload of the type (DOMAIN.md §6); personal fields in it are encrypted."})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000),
                         metadata={"description": "Free text, encrypted at rest. Never for anonymous participants."})
    confirm_warnings = fields.Boolean(load_default=False, metadata={
        "description": "Record it despite warnings (e.g. a gender that contradicts the personnummer); "
                       "without it a warning is a 422 with the warning's code."})


class CorrectionInputSchema(InputSchema):
    multiline_fields = ("reason",)

    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"description": "Why the event is void; encrypted at rest."})
    date = fields.Date(load_default=None, allow_none=True, metadata={"description": "Defaults to today."})


class EventOutSchema(Schema):
    id = fields.String(required=True)
    ext_id = fields.String(required=True)
    seq = fields.Integer(required=True, metadata={"description": "Order of recording in the participant's log."})
    type = fields.String(required=True)
    label = fields.String(required=True)
    date = fields.Date(required=True)
    data = fields.Dict(required=True)
    personal = fields.Dict(allow_none=True, metadata={"description": "Decrypted personal fields of the payload."})
    note = fields.String(allow_none=True)
    voided = fields.Boolean(required=True, metadata={"description": "A correction voids this event."})
    voids = fields.String(allow_none=True, metadata={"description": "For a correction: the id of the voided event."})
    recorded_at = fields.DateTime(required=True)
    recorded_by = fields.String(allow_none=True, metadata={"description": "The recording user's id."})
