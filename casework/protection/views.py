"""Data-protection pages: the access log (auditor), a participant's data-protection page (subject
access, rectification, legal hold, erasure), and the records of processing."""

import csv
import io

import sqlalchemy as sa
from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import Schema, ValidationError, fields

from casework.auth.models import User
from casework.extensions import db
from casework.participants.models import Participant
from casework.protection import permissions
from casework.protection.access_log import LogFilter, query_entries

bp = Blueprint("protection", __name__, url_prefix="/protection")
PAGE_ROWS = 500


class AccessLogQuery(Schema):
    user = fields.String(load_default="")
    participant = fields.String(load_default="")
    since = fields.Date(load_default=None, data_key="from")
    until = fields.Date(load_default=None, data_key="to")
    format = fields.String(load_default="html")


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
                           errors=errors), 400 if errors else 200


def _csv(entries) -> Response:
    users, refs = _labels(entries)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "user_id", "user", "role", "participant_id", "participant", "route", "purpose",
                     "hash"])
    for e in entries:
        user = users.get(e.user_id)
        writer.writerow([e.id, e.at.isoformat(), e.user_id or "", user.email if user else "",
                         user.role if user else "", e.participant_id, refs.get(e.participant_id, ""), e.route,
                         e.purpose, e.hash])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=access-log.csv"})
