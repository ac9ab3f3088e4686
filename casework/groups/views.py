"""The group session pages: a team's sessions, recording one (ticking the attendees), correcting one.

Each view loads, checks `can_record_group_session`, then calls the service; the names shown are
read through the service, which logs the read. A refused form answers 400, and the edge rolls back.
"""

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.errors import DomainError, NotFound
from casework.groups.forms import GroupSessionCorrectionForm, GroupSessionForm, hours_value
from casework.groups.permissions import can_record_group_session
from casework.groups.service import (
    attendances,
    correct_group_session,
    enrolled_roster,
    get_group_session,
    leaders_of,
    named,
    record_group_session,
    sessions_of,
)
from casework.vocab import GROUP_SESSION_KINDS
from casework.web.messages import apply_domain_error

bp = Blueprint("groups", __name__)
PURPOSE = "group_session"


def staff_team(slug: str | None):
    """The chosen team among the user's own (the first by default); 403 for a user with none."""
    teams = [t for t in getattr(current_user, "teams", []) if can_record_group_session(current_user, t)]
    if not teams:
        abort(403)
    chosen = next((t for t in teams if t.slug == slug), None) if slug else teams[0]
    if chosen is None:
        abort(404)
    return teams, chosen


@bp.route("/group-sessions")
@login_required
def index():
    teams, team = staff_team(request.args.get("team"))
    rows = [(s, attendances(s)) for s in sessions_of(team)]
    return render_template("groups/index.html", teams=teams, team=team, rows=rows, kinds=GROUP_SESSION_KINDS)


@bp.route("/group-sessions/new", methods=["GET", "POST"])
@login_required
def new():
    teams, team = staff_team(request.values.get("team"))
    form = GroupSessionForm()
    if request.method == "GET" and request.args.get("date"):
        form.date.data = request.args["date"]
    day = _day(form.date.data) or dt.date.today()
    roster = enrolled_roster(team, day, current_user, PURPOSE)
    form.attendees.choices = [(p.id, labelled(p, name)) for p, name in roster]
    form.leader.choices = [("", _("– välj –")), *[(u.id, u.label) for u in leaders_of(team)]]
    if request.method == "GET" and not form.leader.data:
        form.leader.data = current_user.id
    status = 200
    if request.method == "POST" and request.form.get("action") == "record":
        status = 400
        if form.validate():
            try:
                session = record_group_session(
                    team, day=form.date.data, kind=form.kind.data, hours=hours_value(form.hours.data),
                    attendee_ids=form.attendees.data or [], leader_id=form.leader.data or None,
                    note=form.note.data or None, user=current_user)
            except DomainError as exc:
                apply_domain_error(form, exc, {"leader": "leader", "group_session_id": "attendees"})
            else:
                flash(_("Gruppträffen är registrerad."))
                return redirect(url_for("groups.show", session_id=session.id), 303)
    return render_template("groups/new.html", teams=teams, team=team, form=form, day=day,
                           roster=roster), status


@bp.route("/group-sessions/<session_id>", methods=["GET", "POST"])
@login_required
def show(session_id: str):
    try:
        session = get_group_session(session_id)
    except NotFound:
        abort(404)
    if not can_record_group_session(current_user, session.team):
        abort(404)
    current = attendances(session)
    roster = enrolled_roster(session.team, session.date, current_user, PURPOSE)
    attendees = named([e.participant for e in current.values()], current_user, PURPOSE)
    form = GroupSessionCorrectionForm()
    form.attendees.choices = [(p.id, labelled(p, name)) for p, name in roster]
    hours = next(iter(current.values())).data.get("hours") if current else None
    if request.method == "GET":
        form.attendees.data = list(current)
        form.hours.data = str(hours) if hours is not None else ""
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            try:
                correct_group_session(session, reason=form.reason.data, attendee_ids=form.attendees.data or [],
                                      hours=hours_value(form.hours.data) if form.hours.data else None,
                                      user=current_user)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                flash(_("Gruppträffen är rättad."))
                return redirect(url_for("groups.show", session_id=session.id), 303)
    return render_template("groups/show.html", session=session, attendees=attendees, hours=hours, form=form,
                           kind=GROUP_SESSION_KINDS.get(session.kind, session.kind)), status


def labelled(participant, name: str) -> str:
    """The name with the participant's ref, so that two people of one name can be told apart."""
    return name if participant.ref in name else f"{name} ({participant.ref})"


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return None
