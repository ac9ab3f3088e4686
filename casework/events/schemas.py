"""Marshmallow schemas of the events API. Payloads (`data`) are validated per type by the registry.

The document shows an event input as one alternative per type (`oneOf` with the discriminator
`type`), each with its type's payload schema as `data`: the same schemas that validate it.
"""

from functools import cache

from marshmallow import Schema, fields, validate

from casework.events.registry import EVENT_TYPES
from casework.schemas import InputSchema, StrictBoolean, UtcDateTime, variant

RECORDABLE_TYPES = [name for name, t in EVENT_TYPES.items() if t.recordable]


def step_variants(base: type[Schema], type_names) -> dict[str, type[Schema]]:
    """One schema per event type for the document: `type` fixed, `data` its payload schema."""
    return {name: _step_variant(base, name) for name in type_names}


@cache
def _step_variant(base: type[Schema], type_name: str) -> type[Schema]:
    payload = EVENT_TYPES[type_name].schema
    data_required = any(f.required for f in payload._declared_fields.values())
    title = "".join(part.title() for part in type_name.split("_"))
    return variant(f"{title}{base.__name__.removesuffix('Schema')}", base,
                   type=fields.String(required=True, validate=validate.OneOf([type_name])),
                   data=fields.Nested(payload, required=data_required))


class EventInputSchema(InputSchema):
    """One step of the log; its `data` is the payload of its `type`."""

    openapi_discriminator = "type"

    @classmethod
    def openapi_variants(cls):
        return step_variants(cls, RECORDABLE_TYPES)

    multiline_fields = ("note",)
    payload_fields = ("data",)

    type = fields.String(required=True, validate=validate.OneOf(RECORDABLE_TYPES))
    date = fields.Date(required=True, metadata={"description": "The day it happened; not in the future."})
    data = fields.Dict(keys=fields.String(validate=validate.Length(max=60)), load_default=dict, metadata={
        "description": "The payload of the type (DOMAIN.md §6); personal fields in it are encrypted."})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000),
                         metadata={"description": "Free text, encrypted at rest. Never for anonymous participants."})
    confirm_warnings = StrictBoolean(load_default=False, metadata={
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
    recorded_at = UtcDateTime(required=True)
    recorded_by = fields.String(allow_none=True, metadata={"description": "The recording user's id."})
