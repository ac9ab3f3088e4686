"""The report page, its charts (separate images, cached), its text fields and its downloads."""

import datetime as dt

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.audit.security import security_event
from casework.errors import DomainError, PermissionDenied, ValidationFailed, flatten_messages
from casework.extensions import db
from casework.reports import periods
from casework.reports.document import text_field_parts
from casework.reports.formats import MEDIA_TYPES
from casework.reports.periods import Period
from casework.reports.permissions import (
    can_edit_report_texts,
    can_read_report_texts,
    can_use_reports,
    must_suppress,
)
from casework.reports.render import document_context, render, report_title
from casework.reports.service import Scope, federation_scope, report_for, team_scope
from casework.reports.snapshots import comparison_for, content_hash, snapshot_for, snapshots_of
from casework.reports.texts import TEXT_MAX_LENGTH, current_texts, save_texts, text_versions, texts_changed_since
from casework.teams.models import Federation
from casework.web.api import error_body
from casework.web.messages import error_text, translated

bp = Blueprint("reports", __name__, url_prefix="/reports")
DOWNLOADS = ("csv", "xlsx", "json", "docx", "pdf")


def scopes_for(user) -> list[Scope]:
    """The teams (and federation) this reader may choose among."""
    if user.role == "analyst":
        federation = db.session.get(Federation, user.federation_id) if user.federation_id else None
        if federation is None:
            return []
        return [federation_scope(federation), *[team_scope(t) for t in federation.teams]]
    return [team_scope(t) for t in user.teams]


def chosen_scope(user) -> Scope:
    available = scopes_for(user)
    if not available:
        raise PermissionDenied("report.no_scope", "You have no team or federation to report on.")
    wanted = request.args.get("scope")
    if not wanted:
        return available[0]
    scope = next((s for s in available if s.key == wanted), None)
    if scope is None:
        raise PermissionDenied("report.denied", "You may not see this report.")
    return scope


def chosen_period(scope: Scope) -> Period:
    start, end, name = request.args.get("from"), request.args.get("to"), request.args.get("period")
    if start or end:
        return periods.resolve(start=start, end=end)
    if name:
        return periods.named(name)
    today = dt.date.today()
    return periods.half_year(f"{today.year - 1}H2" if today.month <= 6 else f"{today.year}H1")


def _report_page_data():
    if not can_use_reports(current_user):
        abort(403)
    scope = chosen_scope(current_user)
    period = chosen_period(scope)
    return scope, period, report_for(current_user, scope, period)


@bp.route("/")
@login_required
def index():
    return _render_page()


def _render_page(status: int = 200, editing_errors: dict | None = None, submitted: dict | None = None):
    scope, period, report = _report_page_data()
    report = comparison_for(scope, period, report, suppressed=must_suppress(current_user))
    settings = scope.settings
    query = request.args.to_dict()
    versions = text_versions(scope, period) if can_read_report_texts(current_user, scope) else {}
    texts = {key: row.body for key, row in versions.items()}
    chart_version = content_hash(report)[:16]

    def chart_url(name: str) -> str:
        return url_for("reports.chart", name=name, v=chart_version, **query)

    context = document_context(report, scope, period, texts=texts, chart_url=chart_url)
    if scope.kind == "team" and can_edit_report_texts(current_user, scope.teams[0]):
        context["editing"] = {"texts": submitted or texts, "errors": editing_errors or {},
                              "versions": versions, "max_length": TEXT_MAX_LENGTH}
    if versions and report.get("frozen"):
        context["texts_changed"] = _texts_changed_since_frozen(scope, period)
    return render_template(
        "reports/index.html", scope=scope, scopes=scopes_for(current_user), period=period, report=report,
        title=report_title(scope, period), snapshots=snapshots_of(scope),
        choices=periods.recent_choices(dt.date.today(), settings.year_start_month),
        chosen=request.args.get("period", ""), query=query, **context,
    ), status


def _texts_changed_since_frozen(scope, period) -> list[str]:
    """The names of the text fields written or changed after the period's snapshot was frozen."""
    snapshot = snapshot_for(scope, period)
    return [" › ".join(_(part) for part in text_field_parts(key))
            for key in texts_changed_since(scope, period, snapshot.frozen_at)]


@bp.route("/chart/<name>.svg")
@login_required
def chart(name: str):
    """One chart of the report as an SVG image. Its drawing is cached by the figures it shows, so
    only the report is computed again (the page's `v` changes whenever the report does)."""
    from casework.reports.charts import chart_specs, draw_chart

    scope, _period, report = _report_page_data()
    spec = chart_specs(report, scope.settings).get(name)
    if spec is None:
        abort(404)
    return Response(draw_chart(spec, "svg"), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=86400"})


@bp.route("/texts", methods=["POST"])
@login_required
def save_report_texts():
    """The team lead saves the report's text fields for the team and period in the query string."""
    if not can_use_reports(current_user):
        abort(403)
    scope = chosen_scope(current_user)
    period = chosen_period(scope)
    submitted = request.form.to_dict()
    try:
        save_texts(current_user, scope, period, submitted)
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except DomainError as exc:
        db.session.rollback()
        errors = {key: [translated(m) for m in messages]
                  for key, messages in flatten_messages(exc.errors or {exc.field or "": [exc.message]}).items()}
        flash(error_text(exc))
        return _render_page(exc.status, errors, submitted)
    flash(_("Texterna är sparade."))
    return redirect(url_for("reports.index", **request.args.to_dict()) + "#section-participants", 303)


@bp.route("/download.<fmt>")
@login_required
def download(fmt: str):
    if fmt not in DOWNLOADS:
        abort(404)
    scope, period, report = _report_page_data()
    texts = current_texts(scope, period) if can_read_report_texts(current_user, scope) else {}
    content = render(report, scope, period, fmt, title=report_title(scope, period), texts=texts)
    security_event("export", kind="report", format=fmt, scope=scope.key)
    filename = f"rapport-{scope.name if scope.kind == 'team' else 'forbund'}-{period.start}-{period.end}.{fmt}"
    return Response(content, mimetype=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.errorhandler(ValidationFailed)
def bad_request(exc: ValidationFailed):
    """A bad period or format is a bad request (400), whatever the format asked for."""
    db.session.rollback()
    if request.path.endswith(".json"):
        return jsonify({**error_body(exc), "code": 400, "status": "BadRequest", "errors": exc.errors}), 400
    return render_template("error.html", status=400, message=error_text(exc)), 400
