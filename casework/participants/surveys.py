"""The survey pages: one questionnaire typed in from paper, recorded as one `survey` event.

The event rule (`events.instruments`) checks every answer; a refused page keeps what was typed,
each message on its question's row, status 400, and nothing is written.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.auth.permissions import can_record_event
from casework.errors import DomainError
from casework.events.instruments import INSTRUMENTS
from casework.events.service import append_event
from casework.events.survey_forms import survey_form
from casework.participants.steps import TIMELINE_ANCHOR
from casework.participants.views import load_participant
from casework.web.messages import apply_domain_error
from casework.web.pages import refused

bp = Blueprint("surveys", __name__)


@bp.route("/participants/<participant_id>/surveys/<instrument>", methods=["GET", "POST"])
@login_required
def record(participant_id: str, instrument: str):
    participant = load_participant(participant_id)
    if not can_record_event(current_user, participant):
        abort(403)
    if instrument not in INSTRUMENTS:
        abort(404)
    form = survey_form(instrument, formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            payload = {"instrument": instrument, "answers": form.answers()}
            try:
                append_event(participant, "survey", (form.date.data or "").strip(), payload,
                             None if participant.anonymous else form.note_text, user=current_user)
            except DomainError as exc:
                apply_domain_error(form, exc, form.field_for())
            else:
                flash(_("Enkäten är sparad: %(instrument)s.", instrument=_(INSTRUMENTS[instrument].label)))
                return redirect(url_for("participants.show", participant_id=participant.id, _anchor=TIMELINE_ANCHOR))

    def page():
        settings = participant.team.settings
        names = INSTRUMENTS[instrument].step_names(settings)
        return render_template("participants/survey.html", participant=participant, form=form,
                               instrument=INSTRUMENTS[instrument], scale=INSTRUMENTS[instrument].team_scale(settings),
                               steps=dict(enumerate(names, start=1)) if names else None), status

    return refused(page) if status >= 400 else page()
