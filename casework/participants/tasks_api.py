"""`GET /api/v1/tasks`: the work that falls due, as the "Att göra" page lists it (same service,
same filters, scoped to the caller's teams)."""

import datetime as dt

from flask import request
from marshmallow import Schema, fields

from casework.participants import tasks as service
from casework.web.api import api_blueprint, current_api_user, error_responses, require_case_role

blp = api_blueprint("api_tasks", __name__, "Work that falls due for the participants of the caller's teams "
                                          "(coaches and team leads): computed from the log when asked.")


class TaskSchema(Schema):
    participant_id = fields.String(required=True)
    ref = fields.String(required=True)
    name = fields.String(required=True, metadata={
        "description": "Decrypted (the read is access-logged); `Anonym <ref>` for an anonymous participant."})
    team = fields.String(required=True, metadata={"description": "The team's slug."})
    kind = fields.String(required=True, metadata={"description": ", ".join(service.KINDS)})
    due = fields.Date(required=True)
    overdue = fields.Boolean(required=True)
    days_left = fields.Integer(required=True, metadata={"description": "Negative when overdue."})
    step = fields.String(required=True, metadata={"description": "The event type whose recording does the task."})
    months_after = fields.Integer(allow_none=True, metadata={"description": "6 or 18, for post_exit_follow_up."})
    booked_for = fields.Date(allow_none=True, metadata={"description": "An open booking, for follow_up."})


class TaskListSchema(Schema):
    as_of = fields.Date(required=True)
    tasks = fields.List(fields.Nested(TaskSchema), required=True)


@blp.route("/tasks")
@blp.doc(parameters=[{"in": "query", "schema": service.TaskQuerySchema}])
@blp.response(200, TaskListSchema)
@error_responses(400, 401, 403, 404)
def list_tasks():
    """The caller's tasks, by due date. A bad filter value is a 400 naming its field; a team that is
    not the caller's a 404."""
    user = current_api_user()
    require_case_role(user)
    tasks = service.tasks_for(user, service.load_filter(request.args))
    return {"as_of": dt.date.today(), "tasks": [task_json(t) for t in tasks]}


def task_json(task: service.Task) -> dict:
    p = task.participant
    return {"participant_id": p.id, "ref": p.ref, "name": task.name, "team": p.team.slug, "kind": task.kind,
            "due": task.due, "overdue": task.overdue, "days_left": task.days_left, "step": task.step,
            "months_after": task.months_after, "booked_for": task.booked_for}
