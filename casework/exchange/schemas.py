"""Marshmallow schemas for the record kinds of the exchange format (DOMAIN.md §6).

These check the shape of a line. What a line means (its team exists, its event fits the
participant's log...) is checked by the import service against the file and the database.
"""

from marshmallow import fields, validate

from casework.organisation.schemas import BudgetInput, MeetingInput, StaffInput
from casework.participants.schemas import ParticipantInputSchema
from casework.schemas import InputSchema, NumberOrNull

SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]*$", error="Lower-case letters, digits and hyphens only.")
EXTERNAL_ID = validate.Regexp(r"^[A-Za-z0-9_.\-]{1,64}$", error="1 to 64 letters, digits, '.', '_' or '-'.")
RECORD_KINDS = ("team", "participant", "event", "history", "group_session", "staff", "budget", "meeting")


class TeamLine(InputSchema):
    record = fields.String(required=True, validate=validate.Equal("team"))
    slug = fields.String(required=True, validate=[validate.Length(min=1, max=80), SLUG])
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    federation = fields.String(required=True, validate=validate.Length(min=1, max=200))
    settings = fields.Dict(keys=fields.String(validate=validate.Length(max=60)), load_default=dict)


class ParticipantLine(ParticipantInputSchema):
    """A participant's facts and personal data; `ref` is required in a file."""

    record = fields.String(required=True, validate=validate.Equal("participant"))
    team = fields.String(required=True, validate=[validate.Length(min=1, max=80), SLUG])
    ref = fields.String(required=True, validate=EXTERNAL_ID)


class EventLine(InputSchema):
    """One event. `team` is optional: it is needed only when a ref is used by several teams."""

    multiline_fields = ("note",)
    payload_fields = ("data",)

    record = fields.String(required=True, validate=validate.Equal("event"))
    id = fields.String(required=True, validate=EXTERNAL_ID)
    ref = fields.String(required=True, validate=EXTERNAL_ID)
    team = fields.String(validate=[validate.Length(min=1, max=80), SLUG])
    type = fields.String(required=True, validate=validate.Length(max=60))  # checked against the registry
    date = fields.String(required=True, validate=validate.Length(max=32))
    data = fields.Dict(load_default=dict)  # checked by the event type's payload schema
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20000))


class HistoryLine(InputSchema):
    """Aggregate figures of an earlier period; `figures` are checked against the report's keys."""

    record = fields.String(required=True, validate=validate.Equal("history"))
    team = fields.String(required=True, validate=[validate.Length(min=1, max=80), SLUG])
    start = fields.String(required=True, data_key="from", validate=validate.Length(max=32))
    end = fields.String(required=True, data_key="to", validate=validate.Length(max=32))
    figures = fields.Dict(keys=fields.String(validate=validate.Length(max=60)), required=True)
    source = fields.String(required=True, validate=validate.Length(min=1, max=200))


class GroupSessionLine(InputSchema):
    """One group session; `attendees` are participants' refs. Its rules are the group service's."""

    multiline_fields = ("note",)

    record = fields.String(required=True, validate=validate.Equal("group_session"))
    id = fields.String(required=True, validate=EXTERNAL_ID)
    team = fields.String(required=True, validate=[validate.Length(min=1, max=80), SLUG])
    date = fields.String(required=True, validate=validate.Length(max=32))
    kind = fields.String(required=True, validate=validate.Length(min=1, max=40))
    hours = NumberOrNull(required=True)
    attendees = fields.List(fields.String(validate=EXTERNAL_ID), required=True, validate=validate.Length(max=500))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20000))
class StaffLine(StaffInput):
    """A staff member's period (DOMAIN.md §6); the rules are the pages' and the API's."""

    record = fields.String(required=True, validate=validate.Equal("staff"))
    team = fields.String(required=True, validate=[validate.Length(min=1, max=80), SLUG])


class BudgetLineLine(BudgetInput):
    record = fields.String(required=True, validate=validate.Equal("budget"))
    team = fields.String(required=True, validate=[validate.Length(min=1, max=80), SLUG])


class MeetingLine(MeetingInput):
    record = fields.String(required=True, validate=validate.Equal("meeting"))
    team = fields.String(required=True, validate=[validate.Length(min=1, max=80), SLUG])
