"""Data-protection pages: the access log (auditor), a participant's data-protection page (subject
access, rectification, legal hold, erasure), and the records of processing."""

import csv
import io
import json

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError, fields, validate
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from casework.audit.access_log import LogFilter, log_access, query_entries
from casework.auth.models import User
from casework.auth.recent import require_recent_auth
from casework.errors import DomainError, PermissionDenied
from casework.events.service import log_of, state_of
from casework.extensions import db
from casework.participants.models import Participant
from casework.participants.service import display_name, participant_for, personal_data
from casework.protection import log_labels, permissions
from casework.protection.consent import statistics_status
from casework.protection.erasure import erase_participant, wipe_freed_space
from casework.protection.models import ErasureRecord
from casework.protection.records import processing_records, teams_for
from casework.protection.rectification import rectify_personal
from casework.protection.retention import active_hold, release_legal_hold, set_legal_hold
from casework.protection.subject_access import render_html, subject_access_record
from casework.schemas import InputSchema
from casework.text import spreadsheet_cell
from casework.web.forms import BaseForm
from casework.web.messages import attach_plainly

bp = Blueprint("protection", __name__, url_prefix="/protection")
PAGE_ROWS = 500


class AccessLogQuery(InputSchema):
    user = fields.String(load_default="", validate=validate.Length(max=254))
    participant = fields.String(load_default="", validate=validate.Length(max=64))
    since = fields.Date(load_default=None, data_key="from")
    until = fields.Date(load_default=None, data_key="to")
    format = fields.String(load_default="html", validate=validate.Length(max=10))


def _log_filter(args) -> tuple[LogFilter, dict, dict]:
    """Parse the filter; unknown users or participants are form errors, not empty results."""
    errors = {}
    try:
        raw = AccessLogQuery().load({k: v for k, v in args.items() if v != ""}, unknown="exclude")
    except ValidationError as exc:
        errors = dict(exc.messages)
        raw = {"user": "", "participant": "", "since": None, "until": None} | exc.valid_data
    user_id = participant_id = None
    if raw["user"]:
        user = db.session.scalar(sa.select(User).where(sa.or_(User.email == raw["user"].lower(), User.id == raw["user"])))
        if user is None:
            errors["user"] = [_("Okänd användare.")]
        user_id = getattr(user, "id", "-")
    if raw["participant"]:
        found = db.session.scalars(sa.select(Participant.id).where(
            sa.or_(Participant.id == raw["participant"], Participant.ref == raw["participant"])).limit(2)).all()
        if len(found) != 1:
            errors["participant"] = [_("Okänd eller tvetydig deltagare (ange id).")]
        participant_id = found[0] if len(found) == 1 else "-"
    return LogFilter(user_id, participant_id, raw["since"], raw["until"]), raw, errors


def _labels(entries) -> tuple[dict, dict]:
    user_ids = {e.user_id for e in entries if e.user_id}
    pids = {e.participant_id for e in entries}
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    refs = {}
    for start in range(0, len(pids), 500):
        chunk = list(pids)[start:start + 500]
        for p in db.session.scalars(sa.select(Participant).where(Participant.id.in_(chunk))):
            refs[p.id] = f"{p.ref} ({p.team.slug})"
    return users, refs


@bp.route("/access-log")
@login_required
def access_log():
    if not permissions.can_read_access_log(current_user):
        abort(403)
    filters, raw, errors = _log_filter(request.args)
    if request.args.get("format") == "csv" and not errors:
        return _csv(list(query_entries(filters)))
    entries = [] if errors else list(query_entries(filters, PAGE_ROWS + 1))
    users, refs = _labels(entries)
    return render_template("protection/access_log.html", entries=entries[:PAGE_ROWS],
                           more=len(entries) > PAGE_ROWS, users=users, refs=refs, args=request.args,
                           errors=errors, labels=log_labels), 400 if errors else 200


def _csv(entries) -> Response:
    users, refs = _labels(entries)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "user_id", "user", "role", "participant_id", "participant", "route", "purpose",
                     "hash"])
    for e in entries:
        user = users.get(e.user_id)
        writer.writerow([spreadsheet_cell(v) for v in (
            e.id, e.at.isoformat(), e.user_id or "", user.email if user else "", user.role if user else "",
            e.participant_id, refs.get(e.participant_id, ""), e.route, e.purpose, e.hash)])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=access-log.csv"})


class EraseForm(BaseForm):
    reason = TextAreaField("Skäl", validators=[DataRequired(), Length(max=500)], id="erase-reason")
    force = BooleanField("Radera trots att deltagaren är inskriven")
    confirm = StringField("Skriv deltagarens referens för att bekräfta", validators=[DataRequired(), Length(max=64)])


class HoldForm(BaseForm):
    reason = TextAreaField("Skäl", validators=[DataRequired(), Length(max=500)], id="hold-reason")


class ReleaseForm(BaseForm):
    pass


class RectifyForm(BaseForm):
    name = StringField("Namn", validators=[Length(max=200)])
    personnummer = StringField("Personnummer", validators=[Length(max=20)])
    phone = StringField("Telefon", validators=[Length(max=40)])
    email = StringField("E-post", validators=[Length(max=254)])
    address = StringField("Adress", validators=[Length(max=300)])


def _load_participant(pid: str, check) -> Participant:
    """Only within the user's own teams (404 otherwise), then the action's own permission (403)."""
    try:
        return participant_for(current_user, pid, check)
    except PermissionDenied:
        abort(403)


@bp.route("/participants/<pid>")
@login_required
def participant(pid):
    person = _load_participant(pid, permissions.can_view_protection)
    return _participant_page(person)


def _participant_page(person, *, erase_form=None, hold_form=None, status=200):
    name = None
    if person.erased_at is None and not person.anonymous:
        log_access(current_user, [person.id], "data_protection")
        name = display_name(person)
    state = state_of(person)
    return render_template(
        "protection/participant.html", person=person, name=name, state=state, hold=active_hold(person),
        erasure=db.session.scalar(sa.select(ErasureRecord).where(ErasureRecord.participant_id == person.id)),
        statistics=statistics_status(log_of(person.id)), erase_form=erase_form or EraseForm(),
        hold_form=hold_form or HoldForm(), release_form=ReleaseForm(),
        is_lead=permissions.can_erase_participant(current_user, person)), status


@bp.route("/participants/<pid>/erase", methods=["POST"])
@login_required
@require_recent_auth(minutes=5)
def erase(pid):
    person = _load_participant(pid, permissions.can_erase_participant)
    form = EraseForm()
    if form.validate_on_submit():
        if form.confirm.data.strip() != person.ref:
            form.confirm.errors.append(_("Referensen stämmer inte; ingenting raderades."))
        else:
            try:
                erase_participant(person, form.reason.data, current_user, force=form.force.data)
            except DomainError as exc:
                db.session.rollback()
                attach_plainly(form, exc)
            else:
                db.session.commit()
                wipe_freed_space()
                flash(_("Personuppgifterna är raderade."))
                return redirect(url_for("protection.participant", pid=person.id))
    return _participant_page(person, erase_form=form, status=400)


@bp.route("/participants/<pid>/hold", methods=["POST"])
@login_required
def hold(pid):
    person = _load_participant(pid, permissions.can_set_legal_hold)
    form = HoldForm()
    if form.validate_on_submit():
        try:
            set_legal_hold(person, form.reason.data, current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_plainly(form, exc)
        else:
            flash(_("Bevarandebeslut registrerat: gallring stoppas."))
            return redirect(url_for("protection.participant", pid=person.id))
    return _participant_page(person, hold_form=form, status=400)


@bp.route("/participants/<pid>/release", methods=["POST"])
@login_required
def release(pid):
    person = _load_participant(pid, permissions.can_set_legal_hold)
    if not ReleaseForm().validate_on_submit():
        abort(400)
    release_legal_hold(person, current_user)
    flash(_("Bevarandebeslutet är hävt."))
    return redirect(url_for("protection.participant", pid=person.id))


@bp.route("/participants/<pid>/export.<fmt>")
@login_required
@require_recent_auth(minutes=5)
def export(pid, fmt):
    person = _load_participant(pid, permissions.can_export_subject_access)
    if fmt not in ("json", "html"):
        abort(404)
    record = subject_access_record(person, current_user)
    filename = f"registerutdrag-{person.ref}.{fmt}"
    if fmt == "json":
        body, mimetype = json.dumps(record, ensure_ascii=False, indent=2), "application/json"
    else:
        body, mimetype = render_html(record), "text/html"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}",
                                                      "Cache-Control": "no-store"})


@bp.route("/participants/<pid>/rectify", methods=["GET", "POST"])
@login_required
def rectify(pid):
    person = _load_participant(pid, permissions.can_rectify_participant)
    if person.erased_at is not None or person.anonymous:
        abort(409)
    form = RectifyForm()
    if form.validate_on_submit():
        raw = {k: (form[k].data or "").strip() for k in ("name", "personnummer", "phone", "email", "address")}
        raw = {k: v for k, v in raw.items() if v or k not in ("name", "personnummer")}
        try:
            changed = rectify_personal(person, raw, current_user)
        except DomainError as exc:
            db.session.rollback()
            attach_plainly(form, exc)
        else:
            flash(_("Rättat: %(fields)s.", fields=", ".join(changed)) if changed else _("Inget ändrades."))
            return redirect(url_for("protection.participant", pid=person.id))
        return render_template("protection/rectify.html", person=person, form=form), 400
    if request.method == "GET":
        current = personal_data(person, current_user, "rectification")
        for key in ("name", "personnummer", "phone", "email", "address"):
            form[key].data = getattr(current, key) or ""
    return render_template("protection/rectify.html", person=person, form=form), 200 if request.method == "GET" else 400


@bp.route("/records")
@login_required
def records():
    if not permissions.can_view_processing_records(current_user):
        abort(403)
    return render_template("protection/records.html", records=processing_records(teams_for(current_user)))
