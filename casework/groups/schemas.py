"""Marshmallow schemas of the group sessions API; the rules themselves are the service's."""

from marshmallow import Schema, fields, validate

from casework.events.registry import MAX_GROUP_HOURS
from casework.schemas import InputSchema, NumberOrNull, PositiveUpTo, UtcDateTime
from casework.vocab import GROUP_SESSION_KINDS

HOURS = {"description": f"More than 0, at most {MAX_GROUP_HOURS}."}
ID = [validate.Length(min=1, max=36), validate.Regexp(r"^[A-Za-z0-9-]{1,36}$")]


class GroupSessionInputSchema(InputSchema):
    multiline_fields = ("note",)

    team = fields.String(required=True, validate=validate.Length(min=1, max=80),
                         metadata={"description": "The team's slug."})
    id = fields.String(load_default=None, validate=[validate.Length(min=1, max=64),
                                                                    validate.Regexp(r"^[A-Za-z0-9_.\-]{1,64}$")],
                       metadata={"description": "The team's own id of the session (default: the new row's id)."})
    date = fields.Date(required=True, metadata={"description": "The day of the session; not in the future."})
    kind = fields.String(required=True, validate=validate.OneOf(list(GROUP_SESSION_KINDS)))
    hours = NumberOrNull(required=True, validate=PositiveUpTo(MAX_GROUP_HOURS),
                         metadata=HOURS)
    leader = fields.String(load_default=None, validate=ID,
                           metadata={"description": "The id of a coach or team lead of the team."})
    attendees = fields.List(fields.String(validate=ID), required=True, validate=validate.Length(min=1, max=200),
                            metadata={"description": "Participant ids, each enrolled on the date."})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000),
                         metadata={"description": "Free text, encrypted at rest in each attendee's log."})


class GroupSessionCorrectionSchema(InputSchema):
    multiline_fields = ("reason",)

    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
    attendees = fields.List(fields.String(validate=ID), required=True, validate=validate.Length(max=200), metadata={
        "description": "The attendees as they should be; an empty list voids the session."})
    hours = NumberOrNull(load_default=None, validate=PositiveUpTo(MAX_GROUP_HOURS),
                         metadata=HOURS)


class GroupSessionQuerySchema(InputSchema):
    team = fields.String(required=True, validate=validate.Length(min=1, max=80))
    start = fields.Date(data_key="from", load_default=None)
    end = fields.Date(data_key="to", load_default=None)


class GroupSessionOutSchema(Schema):
    id = fields.String()
    ext_id = fields.String()
    team = fields.String(metadata={"description": "The team's slug."})
    date = fields.Date()
    kind = fields.String()
    hours = fields.Float(allow_none=True, metadata={"description": "Null when the session is voided."})
    leader = fields.String(allow_none=True)
    attendees = fields.List(fields.String(), metadata={"description": "Participant ids of the effective attendances."})
    voided = fields.Boolean()
    recorded_at = UtcDateTime()
