"""The "Att göra" pages: the coach's list over their teams and one team's list, filtered by the
query string (kind, overdue only or due within N days, team). The list is the service's
(`casework.participants.tasks`); the page reads the filter, shows the rows and links each to the
participant page with the step's form open."""

import datetime as dt
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from casework.auth.permissions import can_list_participants
from casework.participants import tasks as service
from casework.participants.views import load_team, require_staff
from casework.web.messages import translated

bp = Blueprint("tasks", __name__)

KIND_LABELS = {
    "trial_end": _l("Prövotiden slutar"),
    "follow_up": _l("Uppföljning med remittent"),
    "half_year_review": _l("Halvårsavstämning"),
    "nns_ongoing": _l("NNS efter 3 månader"),
    "nns_exit": _l("NNS vid avslut"),
    "post_exit_follow_up": _l("Uppföljning efter avslut"),
    "queue_wait": _l("Lång väntan i kö"),
}
FILTER_LABELS = {"kind": _l("Vad"), "within_days": _l("Förfaller inom (dagar)"), "overdue": _l("Bara försenade"),
                 "team": _l("Team")}


@bp.route("/tasks")
@login_required
def mine():
    """The coach's list: every team of theirs (no participant's coach is recorded), or `?team=`."""
    require_staff()
    return _render(request.args, url_for("tasks.mine"))


@bp.route("/teams/<slug>/tasks")
@login_required
def team(slug: str):
    team = load_team(slug, can_list_participants)
    args = request.args.copy()
    args["team"] = team.slug
    return _render(args, url_for("tasks.team", slug=team.slug), team)


def _render(args, action: str, team=None):
    teams = service.task_teams(current_user)
    try:
        task_filter = service.load_filter(args)
        rows, errors = service.tasks_for(current_user, task_filter), {}
    except service.BadTaskQuery as exc:
        task_filter, rows = service.TaskFilter(), []
        errors = {field: [translated(m) for m in messages] for field, messages in exc.errors.items()}
    status = 400 if errors else 200
    return render_template("participants/tasks.html", rows=rows, teams=teams, team=team, action=action,
                           task_filter=task_filter, args=args, errors=errors, kind_labels=KIND_LABELS,
                           filter_labels=FILTER_LABELS, today=dt.date.today(), links=Links()), status


class Links:
    """The participant page's address, and the same with the task's step form open.

    Built from one `url_for` per page (a list of a hundred rows would otherwise spend a good part
    of its time routing); participant ids are identifiers, safe in a path as they are.
    """

    PLACEHOLDER = "participant-id"

    def __init__(self):
        self.template = url_for("participants.show", participant_id=self.PLACEHOLDER)

    def participant(self, task: service.Task) -> str:
        return self.template.replace(self.PLACEHOLDER, task.participant.id)

    def step(self, task: service.Task) -> str:
        if task.step == "survey":
            return url_for("surveys.record", participant_id=task.participant.id, instrument=task.prefill["instrument"])
        query = urlencode({"step": task.step, **task.prefill})
        return f"{self.participant(task)}?{query}#form-{task.step}"
