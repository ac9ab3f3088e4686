"""Reports in the JSON API: a team's or a federation's report, and a team's frozen snapshots.

The same JSON as `casework report --format json`, for the same readers as the report page:
coaches and team leads their own teams, analysts their federation and its teams with small cells
hidden and for named periods only. Another team (or federation) than the caller's is not found
(404); a role without reports (referrers, auditors, admins) is refused (403).
"""

from casework.audit.security import security_event
from casework.auth.teams_api import visible_team
from casework.errors import NotFound, PermissionDenied, ValidationFailed
from casework.extensions import db
from casework.reports import periods
from casework.reports.models import ReportSnapshot
from casework.reports.periods import Period
from casework.reports.permissions import can_use_reports, can_view_report, must_suppress
from casework.reports.schemas import (
    FederationRowSchema,
    ReportQuerySchema,
    ReportSchema,
    SnapshotRowSchema,
    SnapshotSchema,
)
from casework.reports.service import Scope, build_report, federation_scope, report_for, team_scope
from casework.reports.snapshots import comparison_for, frozen_header, snapshots_of
from casework.reports.suppress import suppress
from casework.teams.models import Federation
from casework.teams.service import get_federation
from casework.web.api import api_blueprint, current_api_user, error_responses

blp = api_blueprint("api_reports", __name__,
                    "Statistics of DOMAIN.md §3: team staff their own teams; analysts their federation and its "
                    "teams, small cells hidden, named periods only.")


def reader():
    """The caller, if their role reads reports at all (403 otherwise, whatever the team)."""
    user = current_api_user()
    if not can_use_reports(user):
        raise PermissionDenied("report.denied", "You may not see this report.")
    return user


def requested_period(query: dict) -> Period:
    """A named period, or from and to; never both, never neither."""
    name, start, end = query.get("period"), query.get("start"), query.get("end")
    if bool(name) == bool(start or end):
        raise ValidationFailed("report.period_needed",
                               "Give either period (2021H1, 2020 or 2020/21) or from and to.", "period")
    if not name:
        return periods.resolve(start=start, end=end)
    try:
        return periods.named(name)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, "period") from None


def visible_federation(ident: str, user) -> Federation:
    """The analyst's own federation by name or id; any other is not found."""
    try:
        federation = get_federation(ident)
    except NotFound:
        federation = None
    if federation is None or (user.role == "analyst" and federation.id != user.federation_id):
        raise NotFound("federation.unknown", "No such federation.", "federation", federation=ident)
    return federation


def report_out(user, scope: Scope, query: dict) -> dict:
    """The report as the page's JSON download gives it, logged as an export the same way."""
    period = requested_period(query)
    report = report_for(user, scope, period)
    security_event("export", kind="report", format="api", scope=scope.key)
    return comparison_for(scope, period, report, suppressed=must_suppress(user))


@blp.route("/reports/teams/<slug>")
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, ReportSchema)
@error_responses(401, 403, 404)
def team_report(query: dict, slug: str):
    """A team's report for a period (422 for a bad or missing period, or free dates outside the team)."""
    user = reader()
    return report_out(user, team_scope(visible_team(slug)), query)


@blp.route("/reports/federations")
@blp.response(200, FederationRowSchema(many=True))
@error_responses(401, 403)
def list_federations():
    """The federations the caller may report on (an analyst's own; none for team staff)."""
    user = reader()
    if user.role != "analyst" or user.federation_id is None:
        return []
    federation = db.session.get(Federation, user.federation_id)
    return [{"id": federation.id, "name": federation.name, "teams": [t.slug for t in federation.teams]}]


@blp.route("/reports/federations/<federation>")
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, ReportSchema)
@error_responses(401, 403, 404)
def federation_report(query: dict, federation: str):
    """Every team of a federation together, by the federation's id (or its name when that fits a URL)."""
    user = reader()
    return report_out(user, federation_scope(visible_federation(federation, user)), query)


@blp.route("/reports/teams/<slug>/snapshots")
@blp.response(200, SnapshotRowSchema(many=True))
@error_responses(401, 403, 404)
def list_snapshots(slug: str):
    """The team's frozen half-years and years, the latest first."""
    user = reader()
    scope = team_scope(visible_team(slug))
    check_reader(user, scope)
    return [snapshot_row(s, suppressed=must_suppress(user)) for s in snapshots_of(scope)]


@blp.route("/reports/teams/<slug>/snapshots/<snapshot_id>")
@blp.response(200, SnapshotSchema)
@error_responses(401, 403, 404)
def read_snapshot(slug: str, snapshot_id: str):
    """One frozen report as it was frozen, and what corrections have changed since."""
    user = reader()
    scope = team_scope(visible_team(slug))
    check_reader(user, scope)
    snapshot = db.session.get(ReportSnapshot, snapshot_id)
    if snapshot is None or snapshot.team_id != scope.teams[0].id:
        raise NotFound("report.snapshot_not_found", "No such frozen report.", "snapshot")
    return snapshot_out(user, scope, snapshot)


def check_reader(user, scope: Scope) -> None:
    if not can_view_report(user, scope):
        raise PermissionDenied("report.denied", "You may not see this report.")


def snapshot_row(snapshot: ReportSnapshot, *, suppressed: bool) -> dict:
    return {"id": snapshot.id, "period": snapshot.period_name, "from": snapshot.period_start,
            "to": snapshot.period_end, "frozen_at": snapshot.frozen_at,
            "content_hash": None if suppressed else snapshot.content_hash}


def snapshot_out(user, scope: Scope, snapshot: ReportSnapshot) -> dict:
    """Readers outside the team get the frozen figures suppressed (the sizes behind its means are
    not kept, so those are hidden), the changed figures by key only, and no hash."""
    suppressed = must_suppress(user)
    current = build_report(scope, Period(snapshot.period_start, snapshot.period_end, snapshot.period_name))
    figures = suppress(snapshot.report, {}, scope.settings) if suppressed else snapshot.report
    changes = frozen_header(snapshot, current, suppressed=suppressed)["changed_since_frozen"]
    return {**snapshot_row(snapshot, suppressed=suppressed), "report": figures, "changed_since_frozen": changes}
