"""The report page and its downloads (CSV, XLSX, JSON)."""

import datetime as dt

from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_login import current_user, login_required

from casework.audit.security import security_event
from casework.errors import PermissionDenied, ValidationFailed
from casework.extensions import db
from casework.reports import periods
from casework.reports.periods import Period
from casework.reports.permissions import can_use_reports, must_suppress
from casework.reports.render import render, report_title
from casework.reports.service import Scope, federation_scope, report_for, team_scope
from casework.reports.snapshots import comparison_for, snapshots_of
from casework.reports.tables import report_tables
from casework.teams.models import Federation
from casework.web.api import error_body
from casework.web.messages import error_text

bp = Blueprint("reports", __name__, url_prefix="/reports")
DOWNLOADS = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "json": "application/json"}


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
    from casework.reports.charts import report_charts  # matplotlib loads on the first report page, not at start-up

    scope, period, report = _report_page_data()
    report = comparison_for(scope, period, report, suppressed=must_suppress(current_user))
    settings = scope.settings
    return render_template(
        "reports/index.html", scope=scope, scopes=scopes_for(current_user), period=period, report=report,
        title=report_title(scope, period), tables=report_tables(report, settings),
        charts=report_charts(report, settings), snapshots=snapshots_of(scope),
        choices=periods.recent_choices(dt.date.today(), settings.year_start_month),
        chosen=request.args.get("period", ""), query=request.args.to_dict(),
    )


@bp.route("/download.<fmt>")
@login_required
def download(fmt: str):
    if fmt not in DOWNLOADS:
        abort(404)
    scope, period, report = _report_page_data()
    content = render(report, scope, fmt, title=report_title(scope, period))
    security_event("export", kind="report", format=fmt, scope=scope.key)
    filename = f"rapport-{scope.name if scope.kind == 'team' else 'forbund'}-{period.start}-{period.end}.{fmt}"
    return Response(content, mimetype=DOWNLOADS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.errorhandler(ValidationFailed)
def bad_request(exc: ValidationFailed):
    """A bad period or format is a bad request (400), whatever the format asked for."""
    db.session.rollback()
    if request.path.endswith(".json"):
        return jsonify({**error_body(exc), "code": 400, "status": "BadRequest", "errors": exc.errors}), 400
    return render_template("error.html", status=400, message=error_text(exc)), 400
