"""The team settings page: the team lead edits the settings, previews the result table of the
last ended half-year with them, and saves; the history of changes is shown below.

It lives in `reports` although the settings are the `teams` area's: the preview computes a
report, and `teams` lies below `reports` (and below `auth`, which holds the permission).
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.auth.permissions import can_edit_team_settings
from casework.errors import DomainError
from casework.extensions import db
from casework.reports import periods
from casework.reports.periods import Period
from casework.reports.permissions import must_suppress
from casework.reports.service import Scope, build_report
from casework.reports.suppress import suppress
from casework.reports.tables import Table, report_tables
from casework.teams.forms import SETTING_LABELS, TeamSettingsForm, describe
from casework.teams.models import Team
from casework.teams.service import changed_keys, settings_history, update_team_settings, validated_settings
from casework.teams.settings import TeamSettings
from casework.web.messages import apply_domain_error
from casework.web.pages import refused

bp = Blueprint("team_settings", __name__, url_prefix="/teams")
# Errors of the posted settings, by their path, onto the form's fields (the rest match by name).
FIELD_FOR = {"settings.report_columns": "columns"}


@dataclass(frozen=True)
class TeamWithSettings:
    """The team as a report reads it (id, slug, federation, settings), with settings not yet saved."""

    id: str
    slug: str
    federation_id: str
    settings: TeamSettings


def editable_teams(user) -> list[Team]:
    teams = db.session.scalars(sa.select(Team).order_by(Team.name)) if user.role == "admin" else user.teams
    return [t for t in teams if can_edit_team_settings(user, t)]


@bp.route("/settings")
@login_required
def index():
    """The teams whose settings this user may edit; straight to the team when there is one."""
    teams = editable_teams(current_user)
    if not teams and current_user.role != "admin":
        abort(403)
    if len(teams) == 1:
        return redirect(url_for("team_settings.edit", slug=teams[0].slug))
    return render_template("teams/settings_index.html", teams=teams)


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    team = db.session.scalar(sa.select(Team).where(Team.slug == slug))
    if team is None or not can_edit_team_settings(current_user, team):
        abort(404 if team is None else 403)
    form = TeamSettingsForm()
    if request.method == "GET":
        form.fill_from(team.settings)
        return _page(team, form)
    if not form.validate():
        return refused(lambda: _page(team, form, status=400))
    try:
        raw = form.checked_settings()
        if form.preview.data:
            return _page(team, form, preview=preview_table(team, validated_settings(raw)))
        update_team_settings(team, raw, current_user)
    except DomainError as exc:
        apply_domain_error(form, exc, FIELD_FOR)
        return refused(lambda: _page(team, form, status=400))
    flash(_("Teaminställningarna är sparade."))
    return redirect(url_for("team_settings.edit", slug=team.slug))


def last_ended_half_year(today: dt.date) -> tuple[str, Period]:
    name = f"{today.year - 1}H2" if today.month <= 6 else f"{today.year}H1"
    return name, periods.half_year(name)


def preview_table(team: Team, settings: TeamSettings) -> tuple[str, Table]:
    """The result table of the last ended half-year computed with `settings`; nothing is saved.

    Suppressed as the report page would be for this reader (an admin is outside the team)."""
    name, period = last_ended_half_year(dt.date.today())
    stand_in = TeamWithSettings(team.id, team.slug, team.federation_id, settings)
    scope = Scope("team", team.slug, (stand_in,), team.federation_id)
    sizes: dict = {}
    report = build_report(scope, period, sizes)
    if must_suppress(current_user):
        report = suppress(report, sizes, settings)
    results = next(t for t in report_tables(report, settings) if t.key == "results")
    return name, results


def history_rows(team: Team) -> list[dict]:
    """Each change: when, who, and each setting it changed with its value before and after."""
    rows = []
    for change in settings_history(team):
        before = change.before or {}
        rows.append({
            "at": change.changed_at, "who": change.changed_by.label if change.changed_by else None,
            "source": change.source,
            "changes": [(SETTING_LABELS.get(key, key), describe(key, before.get(key)), describe(key, change.after[key]))
                        for key in changed_keys(change.before, change.after)],
        })
    return rows


def _page(team: Team, form: TeamSettingsForm, preview=None, status: int = 200):
    return render_template("teams/settings.html", team=team, form=form, preview=preview,
                           history=history_rows(team)), status
