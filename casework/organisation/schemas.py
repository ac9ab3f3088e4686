"""The input of a staff period, a budget line and a meeting: one schema each, shared by the pages,
the API and the import (whose lines add `record` and `team`). Field names are those of the
exchange format (DOMAIN.md §6): `id`, `from`, `to`.

The schemas hold what the OpenAPI document can state; the rules it cannot (an end before the
start, a meeting after today) are the service's (`service.date_problem`), answered with their own
codes.
"""

from marshmallow import fields, validate

from casework.errors import Coded
from casework.schemas import InputSchema, WholeNumber
from casework.vocab import BUDGET_LINES, EMPLOYERS, MEETING_KINDS

STAFF_REF = validate.Regexp(r"^[A-Za-z0-9_.\-]{1,64}$", error="1 to 64 letters, digits, '.', '_' or '-'.")
KRONOR = validate.Range(min=0, max=10**12, error=Coded("organisation.amount_out_of_range",
                                                        "Whole kronor from 0 to 1 000 000 000 000."))


class StaffInput(InputSchema):
    staff_ref = fields.String(required=True, data_key="id", validate=[validate.Length(max=64), STAFF_REF])
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.Length(min=1, max=100))
    employer = fields.String(required=True, validate=validate.OneOf(list(EMPLOYERS)))
    extent_percent = WholeNumber(required=True, validate=validate.Range(
        min=0, max=100, error=Coded("organisation.extent_out_of_range", "Must be from 0 to 100 per cent.")))
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(load_default=None, allow_none=True, data_key="to")


class BudgetInput(InputSchema):
    line = fields.String(required=True, validate=validate.OneOf(list(BUDGET_LINES)))
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")
    decided = WholeNumber(required=True, validate=KRONOR)
    outcome = WholeNumber(load_default=None, allow_none=True, validate=KRONOR)
    forecast = WholeNumber(load_default=None, allow_none=True, validate=KRONOR)


class MeetingInput(InputSchema):
    date = fields.Date(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(list(MEETING_KINDS)))


INPUTS = {"staff": StaffInput, "budget": BudgetInput, "meeting": MeetingInput}
