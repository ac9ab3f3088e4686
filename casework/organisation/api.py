"""The organisation records in the JSON API: list, add and change a team's staff periods, budget
lines and meetings under `/api/v1/teams/<slug>/…`, and the history of their changes.

The body is validated against the schema here, and again by the service shared with the pages,
which gets the body as sent.
"""

from flask import request
from flask.views import MethodView
from marshmallow import Schema, fields

from casework.auth.teams_api import visible_team
from casework.organisation import service
from casework.organisation.schemas import BudgetInput, MeetingInput, StaffInput
from casework.schemas import UtcDateTime
from casework.web.api import api_blueprint, current_api_user, error_responses

blp = api_blueprint("api_organisation", __name__,
                    "A team's staff, budget lines and meetings (DOMAIN.md §6): the team's coaches and lead read "
                    "them, its lead (or an admin) adds and changes them; every change is kept.")


class StaffOut(Schema):
    record_id = fields.String(required=True)
    id = fields.String(required=True, metadata={"description": "The staff member's own id, e.g. S01."})
    name = fields.String(required=True)
    role = fields.String(required=True)
    employer = fields.String(required=True)
    extent_percent = fields.Integer(required=True)
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, allow_none=True, data_key="to")


class BudgetOut(Schema):
    record_id = fields.String(required=True)
    line = fields.String(required=True)
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")
    decided = fields.Integer(required=True)
    outcome = fields.Integer(required=True, allow_none=True)
    forecast = fields.Integer(required=True, allow_none=True)


class MeetingOut(Schema):
    record_id = fields.String(required=True)
    date = fields.Date(required=True)
    kind = fields.String(required=True)


class ChangeOut(Schema):
    record_kind = fields.String(required=True, metadata={"description": "staff, budget or meeting"})
    record_id = fields.String(required=True)
    changed_at = UtcDateTime(required=True)
    changed_by = fields.String(required=True, allow_none=True, metadata={"description": "the user's e-mail; "
                                                                         "null for an import"})
    source = fields.String(required=True)
    before = fields.Dict(required=True, allow_none=True)
    after = fields.Dict(required=True)


OUT_NAMES = {"from": "start", "to": "end"}  # the out schemas' attributes behind `from` and `to`


def record_out(kind: str, record) -> dict:
    return {"record_id": record.id, **{OUT_NAMES.get(name, name): getattr(record, attribute)
                                       for name, attribute in service.FIELDS[kind].items()}}


def _routes(kind: str, path: str, in_schema: type, out_schema: type, noun: str) -> None:
    class Collection(MethodView):
        @blp.response(200, out_schema(many=True))
        @error_responses(401, 403, 404)
        def get(self, slug: str):
            user = current_api_user()
            return [record_out(kind, r) for r in service.records_of(user, kind, visible_team(slug))]

        @blp.arguments(in_schema)
        @blp.response(201, out_schema)
        @error_responses(401, 403, 404, 422)
        def post(self, _validated: dict, slug: str):
            user = current_api_user()
            record = service.add_record(user, kind, visible_team(slug), request.get_json(), source="api")
            return record_out(kind, record)

    class Item(MethodView):
        @blp.arguments(in_schema)
        @blp.response(200, out_schema)
        @error_responses(401, 403, 404, 422)
        def put(self, _validated: dict, slug: str, record_id: str):
            user = current_api_user()
            record = service.change_record(user, kind, visible_team(slug), record_id, request.get_json(),
                                           source="api")
            return record_out(kind, record)

    Collection.get.__doc__ = f"The team's {noun}."
    Collection.post.__doc__ = f"Add one of the team's {noun} (the team's lead or an admin); the change is kept."
    Item.put.__doc__ = f"Change one of the team's {noun}, every field given again; the change is kept."
    Collection.__name__, Item.__name__ = f"{kind.title()}Collection", f"{kind.title()}Item"
    blp.route(f"/teams/<slug>/{path}")(Collection)
    blp.route(f"/teams/<slug>/{path}/<record_id>")(Item)


_routes("staff", "staff", StaffInput, StaffOut, "staff periods")
_routes("budget", "budget", BudgetInput, BudgetOut, "budget lines")
_routes("meeting", "meetings", MeetingInput, MeetingOut, "meetings")


@blp.route("/teams/<slug>/organisation/changes")
@blp.response(200, ChangeOut(many=True))
@error_responses(401, 403, 404)
def list_changes(slug: str):
    """The changes of the team's staff, budget lines and meetings, newest first."""
    user = current_api_user()
    return [{"record_kind": c.record_kind, "record_id": c.record_id, "changed_at": c.changed_at,
             "changed_by": c.changed_by.email if c.changed_by else None, "source": c.source,
             "before": c.before, "after": c.after} for c in service.changes_of(user, visible_team(slug))]
