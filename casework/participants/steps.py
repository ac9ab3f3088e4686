"""Recording and correcting events (steps) from the participant page.

A refused step re-renders the participant page with the form's errors and the user's input,
status 400; the request then rolls back, so nothing is written.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.auth.permissions import can_correct_event, can_record_event
from casework.errors import DomainError, NeedsConfirmation
from casework.events.forms import FORM_CLASSES, CorrectionForm, event_form
from casework.events.registry import event_type
from casework.events.service import append_event, correct_event, decrypted_timeline, effective, log_of
from casework.participants.views import PURPOSE_CASE_WORK, load_participant, participant_page
from casework.web.messages import apply_domain_error
from casework.web.pages import refused

bp = Blueprint("steps", __name__)

TIMELINE_ANCHOR = "tidslinje"  # the participant page's timeline, where a saved step shows


@bp.route("/participants/<participant_id>/events", methods=["POST"])
@login_required
def record(participant_id: str):
    participant = load_participant(participant_id)
    if not can_record_event(current_user, participant):
        abort(403)
    type_name = request.form.get("type", "")
    if type_name not in FORM_CLASSES:
        abort(400)
    form = event_form(type_name, formdata=request.form)
    if form.validate():
        try:
            append_event(participant, type_name, (form.date.data or "").strip(), form.payload(), form.note_text,
                         user=current_user, confirm_warnings=bool(form.confirm_warnings.data))
        except DomainError as exc:
            form.warnings_shown = isinstance(exc, NeedsConfirmation)
            apply_domain_error(form, exc, form.field_for())
        else:
            flash(_("Steget är sparat: %(step)s.", step=_(event_type(type_name).label)))
            return redirect(url_for("participants.show", participant_id=participant.id, _anchor=TIMELINE_ANCHOR))
    return refused(lambda: participant_page(participant, submitted=form, status=400))


@bp.route("/participants/<participant_id>/events/<event_id>/correct", methods=["GET", "POST"])
@login_required
def correct(participant_id: str, event_id: str):
    participant = load_participant(participant_id)
    events = log_of(participant.id)
    target = next((e for e in events if e.id == event_id), None)
    if target is None:
        abort(404)
    if not can_correct_event(current_user, participant, target):
        abort(403)
    form = CorrectionForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            reason = (form.reason.data or "").strip()
            if not reason:
                form.reason.errors = [_("Ange ett skäl.")]
            if not form.confirm.data:
                form.confirm.errors = [_("Bekräfta att händelsen ska makuleras.")]
            if reason and form.confirm.data:
                try:
                    correct_event(participant, target.id, reason, user=current_user)
                except DomainError as exc:
                    apply_domain_error(form, exc, {"data.reason": "reason", "reason": "reason", "voids": "reason"})
                else:
                    flash(_("Händelsen är makulerad."))
                    return redirect(url_for("participants.show", participant_id=participant.id,
                                            _anchor=TIMELINE_ANCHOR))
    def page():
        row = _timeline_row(participant, target.id)
        active = target.id in {e.id for e in effective(events)}
        return render_template("events/correct.html", participant=participant, row=row, form=form,
                               already_voided=not active), status

    return refused(page) if status >= 400 else page()


def _timeline_row(participant, event_id: str) -> dict:
    """The event as the timeline shows it (its note decrypted; the page view is logged once)."""
    rows = decrypted_timeline(participant, current_user, PURPOSE_CASE_WORK)
    return next(r for r in rows if r["event"].id == event_id)
