"""The coach's participant pages: team list with search, registration, the participant page.

Every view loads, checks permission, then calls a service. Personal data never goes into a URL:
search text is posted, and a participant is addressed by its id only.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectField

from casework.auth.permissions import TEAM_STAFF, can_list_participants, can_read_participant, can_register_participant
from casework.errors import DomainError, KeyUnavailable, NeedsConfirmation, NotFound, PermissionDenied, ValidationFailed
from casework.events.forms import FORM_CLASSES, EventForm, event_form, guided_forms
from casework.events.instruments import INSTRUMENTS
from casework.events.service import decrypted_timeline, state_of
from casework.events.state import PHASE_LABELS
from casework.participants.forms import RegisterForm, SearchForm
from casework.participants.identification import current_facts
from casework.participants.intake import register_at_intake
from casework.participants.overview import team_overview
from casework.participants.service import display_name, participant_for, personal_data
from casework.participants.tasks import task_counts
from casework.teams.models import Team
from casework.teams.service import get_team
from casework.web.messages import apply_domain_error
from casework.web.pagination import page_number, page_of

bp = Blueprint("participants", __name__)

PURPOSE_CASE_WORK = "case_work"


def require_staff() -> None:
    """Referrers, analysts, auditors and admins see no participant pages at all."""
    if current_user.role not in TEAM_STAFF:
        abort(403)


def load_team(slug: str, allowed) -> Team:
    require_staff()
    try:
        team = get_team(slug)
    except NotFound:
        abort(404)
    if not allowed(current_user, team):
        abort(403)
    return team


def load_participant(participant_id: str):
    """Another team's participant is simply not found (its existence is not revealed)."""
    require_staff()
    try:
        return participant_for(current_user, participant_id, can_read_participant)
    except (NotFound, PermissionDenied, ValidationFailed):
        abort(404)


@bp.route("/teams")
@login_required
def index():
    """A coach's start: their team's list, or a chooser when they belong to several teams."""
    require_staff()
    teams = list(current_user.teams)
    if len(teams) == 1:
        return redirect(url_for("participants.team_list", slug=teams[0].slug))
    return render_template("participants/teams.html", teams=teams)


@bp.route("/teams/<slug>/participants", methods=["GET", "POST"])
@login_required
def team_list(slug: str):
    """The team's participants, a page at a time (`page`: in the query, or posted with a search);
    a page past the last is 404. The sort and the counts of work due cover the whole team."""
    team = load_team(slug, can_list_participants)
    form = SearchForm() if request.method == "POST" else SearchForm(formdata=None, phase=request.args.get("phase", ""))
    if request.method == "POST":
        form.validate()
    phase = form.phase.data or None
    if phase is not None and phase not in PHASE_LABELS:
        form.phase.errors = [_("Okänd fas.")]
        phase = None
    number = page_number(request.values.get("page"))
    if number is None:
        abort(404)
    rows = team_overview(team, current_user, text=form.q.data or "", phase=phase)
    page = page_of(rows, number, current_app.config["PARTICIPANT_PAGE_SIZE"])
    if page is None:
        abort(404)
    whole_team = [r.participant for r in rows] if not (form.q.data or "").strip() and phase is None else None
    counts = task_counts(current_user, team, kept={r.participant.id: r.kept for r in rows}, participants=whole_team)
    return render_template("participants/list.html", team=team, form=form, rows=page.items, page=page,
                           phase=phase, today=dt.date.today(), phase_labels=PHASE_LABELS,
                           searched=bool((form.q.data or "").strip()), task_counts=counts)


@bp.route("/teams/<slug>/participants/new", methods=["GET", "POST"])
@login_required
def register(slug: str):
    team = load_team(slug, can_register_participant)
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            participant = register_at_intake(team, form.intake_input(), current_user)
        except DomainError as exc:
            form.warnings_shown = isinstance(exc, NeedsConfirmation)
            apply_domain_error(form, exc, RegisterForm.FIELD_FOR, RegisterForm.MESSAGE_FOR)
        else:
            return redirect(url_for("participants.show", participant_id=participant.id))
    status = 400 if request.method == "POST" else 200
    return render_template("participants/register.html", team=team, form=form), status


@bp.route("/participants/<participant_id>")
@login_required
def show(participant_id: str):
    participant = load_participant(participant_id)
    return participant_page(participant, opened=requested_form(request.args))


def requested_form(args) -> EventForm | None:
    """The step form a link asks to open (`?step=survey&instrument=nns_exit`, as the "Att göra" list
    links), with its choices filled in from the link where they are among the field's choices."""
    step = args.get("step")
    if step not in FORM_CLASSES:
        return None
    form = event_form(step)
    for name, _path in form.payload_fields:
        field = form[name]
        if name in args and isinstance(field, SelectField) and args[name] in {c.value for c in field.choices}:
            field.data = args[name]
    return form


def participant_page(participant, submitted=None, status: int = 200, opened=None):
    """The participant page; `submitted` is an event form that failed, shown with its errors, and
    `opened` a fresh one to show open (a link to the step).

    One view logs one access-log entry: `personal_data` logs the read, and the timeline (which
    decrypts notes of the same participant in the same view) is read without logging again.
    """
    personal, erased = None, participant.erased_at is not None
    if not erased:
        try:
            personal = personal_data(participant, current_user, PURPOSE_CASE_WORK)
        except KeyUnavailable:
            erased = True
    timeline = decrypted_timeline(participant, current_user, PURPOSE_CASE_WORK, log=False)
    events = [row["event"] for row in timeline]
    state = state_of(participant, events)
    return render_template(
        "participants/show.html", participant=participant, personal=personal, erased=erased,
        name=display_name(participant) if personal is None or not personal.name else personal.name,
        state=state, facts=current_facts(participant, events), trial=_trial(participant, state),
        timeline=timeline, reasons=_correction_reasons(timeline),
        labels_by_id={row["event"].ext_id: f"{_(row['label'])} {row['event'].date}" for row in timeline},
        steps=guided_forms(state, dt.date.today(), submitted or opened, anonymous=participant.anonymous),
        today=dt.date.today(),
        protection_url=_protection_url(participant), survey_instruments=INSTRUMENTS,
    ), status


def _protection_url(participant) -> str | None:
    """The participant's data-protection page (erasure, subject access), where that area is installed."""
    if "protection.participant" not in current_app.view_functions:
        return None
    return url_for("protection.participant", pid=participant.id)


def _trial(participant, state) -> dict | None:
    episode = state.episode
    if episode is None:
        return None
    months = participant.team.settings.trial_months
    return {"ends": episode.enrolled_on + relativedelta(months=months), "completed": episode.trial_completed_on,
            "months": months}


def _correction_reasons(timeline: list[dict]) -> dict[str, str]:
    """Voided event id -> the reason given by the correction that voided it."""
    return {row["event"].voids_event_id: row["personal"].get("reason") or ""
            for row in timeline if row["event"].type == "correction" and not row["voided"]}
