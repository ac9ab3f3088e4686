"""The federation's pages (issue 14): its teams side by side with charts and XLSX, and the
Uppföljning Finsam figures. Thin over `federation.py` and `finsam.py`."""

import datetime as dt
import threading
from collections import OrderedDict

import sqlalchemy as sa
from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user, login_required

from casework.audit.security import security_event
from casework.errors import ValidationFailed
from casework.extensions import db
from casework.reports import formats, periods
from casework.reports.federation import MEASURES, federation_view
from casework.reports.federation_charts import federation_chart_specs
from casework.reports.finsam import FINSAM_FORMATS, GENDER_ORDER, HEADINGS, finsam_content, finsam_for
from casework.reports.formats import MEDIA_TYPES
from casework.reports.permissions import can_view_federation, must_suppress
from casework.reports.previous import previous_period_of
from casework.reports.snapshots import content_hash
from casework.teams.models import Federation
from casework.web.messages import error_text

bp = Blueprint("federation", __name__, url_prefix="/federation")
DOWNLOADS = ("xlsx", "csv")
FEDERATION_ROLES = {"analyst", "admin"}
YEARS_OFFERED = 4


def federations_for(user) -> list[Federation]:
    """The federations this reader may choose among: an analyst's own, every one for an admin."""
    if user.role == "admin":
        return list(db.session.scalars(sa.select(Federation).order_by(Federation.name)))
    federation = db.session.get(Federation, user.federation_id) if user.federation_id else None
    return [federation] if federation is not None else []


def chosen_federation() -> Federation:
    if current_user.role not in FEDERATION_ROLES:
        abort(403)
    available = federations_for(current_user)
    wanted = request.args.get("federation")
    chosen = [f for f in available if f.name == wanted] if wanted else available[:1]
    federation = chosen[0] if chosen else None
    if federation is None or not can_view_federation(current_user, federation):
        abort(403)
    return federation


def chosen_period() -> periods.Period:
    name = request.args.get("period")
    if name:
        return periods.named(name)
    today = dt.date.today()
    return periods.half_year(f"{today.year - 1}H2" if today.month <= 6 else f"{today.year}H1")


def _view():
    federation = chosen_federation()
    period = chosen_period()
    return federation, period, federation_view(current_user, federation, period)


def _query(federation: Federation, **more) -> dict:
    return {"federation": federation.name, **more}


class RecentCharts:
    """The chart specs of the pages served lately, so that the page's chart images (fetched right
    after it) do not compute the federation's figures again, each. Keyed by what the figures are
    of and a hash of the specs themselves (the images' `v`); a miss (another worker, an old link)
    computes them afresh. Every chart request is authorised before it is looked up."""

    def __init__(self, size: int = 64):
        self.size = size
        self.entries: OrderedDict[tuple, dict] = OrderedDict()
        self.lock = threading.Lock()

    def remember(self, key: tuple, specs: dict) -> None:
        with self.lock:
            self.entries[key] = specs
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def get(self, key: tuple) -> dict | None:
        with self.lock:
            return self.entries.get(key)


recent_charts = RecentCharts()


def _chart_key(federation: Federation, period: periods.Period, version: str) -> tuple:
    return federation.id, period.start, period.end, must_suppress(current_user), version


@bp.route("/")
@login_required
def index():
    federation, period, figures = _view()
    query = _query(federation, period=period.name)
    from casework.reports.charts import chart_description  # matplotlib: loaded when a chart is wanted

    specs = federation_chart_specs(figures)
    version = content_hash(specs)[:16]
    recent_charts.remember(_chart_key(federation, period, version), specs)
    charts = {name: {"src": url_for("federation.chart", name=name, v=version, **query),
                     "alt": chart_description(spec)} for name, spec in specs.items()}
    return render_template(
        "reports/federation.html", federation=federation, federations=federations_for(current_user),
        period=period, previous=previous_period_of(period), figures=figures, tables=figures.tables(),
        measures=MEASURES, charts=charts, query=query,
        choices=periods.recent_choices(dt.date.today(), 1), chosen=period.name,
    )


@bp.route("/chart/<name>.svg")
@login_required
def chart(name: str):
    from casework.reports.charts import draw_chart

    federation = chosen_federation()
    period = chosen_period()
    specs = recent_charts.get(_chart_key(federation, period, request.args.get("v", "")))
    if specs is None:
        specs = federation_chart_specs(federation_view(current_user, federation, period))
    spec = specs.get(name)
    if spec is None:
        abort(404)
    return Response(draw_chart(spec, "svg"), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=86400"})


@bp.route("/download.<fmt>")
@login_required
def download(fmt: str):
    if fmt not in DOWNLOADS:
        abort(404)
    federation, period, figures = _view()
    title = f"{federation.name} {period.label}"
    tables = figures.tables()
    content = formats.to_xlsx(tables, title) if fmt == "xlsx" else formats.to_csv(tables)
    security_event("export", kind="federation", format=fmt)
    return Response(content, mimetype=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="forbund-{period.start}-{period.end}.{fmt}"'})


def chosen_year() -> str:
    year = request.args.get("year") or str(dt.date.today().year - 1)
    periods.calendar_year(year)
    return year


@bp.route("/finsam")
@login_required
def finsam():
    federation = chosen_federation()
    year = chosen_year()
    rows = finsam_for(current_user, federation, year)
    this_year = dt.date.today().year
    return render_template(
        "reports/finsam.html", federation=federation, federations=federations_for(current_user), year=year,
        years=[str(y) for y in range(this_year, this_year - YEARS_OFFERED, -1)], rows=rows, headings=HEADINGS,
        genders=GENDER_ORDER, query=_query(federation, year=year), suppressed=must_suppress(current_user),
    )


@bp.route("/finsam.<fmt>")
@login_required
def finsam_download(fmt: str):
    if fmt not in FINSAM_FORMATS:
        abort(404)
    federation = chosen_federation()
    year = chosen_year()
    rows = finsam_for(current_user, federation, year)
    content = finsam_content(federation, year, fmt, suppressed=must_suppress(current_user), rows=rows)
    security_event("export", kind="uppfoljning_finsam", format=fmt)
    return Response(content, mimetype=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="uppfoljning-finsam-{year}.{fmt}"'})


@bp.errorhandler(ValidationFailed)
def bad_request(exc: ValidationFailed):
    """A bad period or year is a bad request (400)."""
    db.session.rollback()
    return render_template("error.html", status=400, message=error_text(exc)), 400
