"""The organisation page of a team: its staff, budget lines and meetings, a form to add each, a
page to change one, and the history of changes. Coaches read; the lead (or an admin) writes."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from casework.errors import DomainError
from casework.extensions import db
from casework.organisation import service
from casework.organisation.forms import FORM_NAMES, FORMS, fill_from, posted_record
from casework.organisation.permissions import can_edit_organisation, can_view_organisation
from casework.protection.log_labels import local_time
from casework.teams.models import Team
from casework.vocab import BUDGET_LINES, EMPLOYERS, MEETING_KINDS, ROLES
from casework.web.messages import apply_domain_error
from casework.web.pages import refused

bp = Blueprint("organisation", __name__, url_prefix="/teams")
KINDS = tuple(FORMS)
KIND_LABELS = {"staff": _l("Personal"), "budget": _l("Budgetpost"), "meeting": _l("Möte")}
# A change names the record's fields as the exchange format does; shown with the page's column headings.
FIELD_LABELS = {"id": _l("Id"), "name": _l("Namn"), "role": _l("Roll"), "employer": _l("Arbetsgivare"),
                "extent_percent": _l("Tjänstgöringsgrad i procent"), "from": _l("Från"), "to": _l("Till"),
                "line": _l("Budgetpost"), "decided": _l("Beslut"), "outcome": _l("Utfall"), "forecast": _l("Prognos"),
                "date": _l("Datum"), "kind": _l("Mötestyp")}
VALUE_LABELS = {"role": ROLES, "employer": EMPLOYERS, "line": BUDGET_LINES, "kind": MEETING_KINDS}


def role_label(role: str) -> str:
    """A staff member's role: the label of a role id (`coach`, as imports give it), other text as typed."""
    return _(ROLES[role]) if role in ROLES else role


def change_rows(changes) -> list[dict]:
    """Each change with only the fields it changed, as `field: value` (all of them for an addition),
    at Swedish local time."""
    rows = []
    for change in changes:
        before = change.before or {}
        changed = [name for name, value in change.after.items() if before.get(name) != value or not before]
        rows.append({"at": local_time(change.changed_at), "who": change.changed_by.label if change.changed_by else None,
                     "source": change.source, "kind": KIND_LABELS[change.record_kind],
                     "before": "; ".join(_field(n, before.get(n)) for n in changed) if before else None,
                     "after": "; ".join(_field(n, change.after[n]) for n in changed)})
    return rows


def _field(name: str, value) -> str:
    label = FIELD_LABELS.get(name, name)
    if value is None:
        return f"{label}: –"
    labels = VALUE_LABELS.get(name, {})
    return f"{label}: {_(labels[value]) if value in labels else value}"


def visible_teams(user) -> list[Team]:
    teams = db.session.scalars(sa.select(Team).order_by(Team.name)) if user.role == "admin" else user.teams
    return [t for t in teams if can_view_organisation(user, t)]


def _team(slug: str) -> Team:
    team = db.session.scalar(sa.select(Team).where(Team.slug == slug))
    if team is None or not can_view_organisation(current_user, team):
        abort(404 if team is None else 403)
    return team


def _kind(kind: str) -> str:
    if kind not in KINDS:
        abort(404)
    return kind


@bp.route("/organisation")
@login_required
def index():
    """The teams whose organisation records this user may see; straight to the team when there is one."""
    teams = visible_teams(current_user)
    if len(teams) == 1:
        return redirect(url_for("organisation.team", slug=teams[0].slug))
    if not teams and current_user.role != "admin":
        abort(403)
    return render_template("organisation/index.html", teams=teams)


@bp.route("/<slug>/organisation")
@login_required
def team(slug: str):
    return _page(_team(slug))


@bp.route("/<slug>/organisation/<kind>", methods=["POST"])
@login_required
def add(slug: str, kind: str):
    team = _team(slug)
    kind = _kind(kind)
    if not can_edit_organisation(current_user, team):
        abort(403)
    form = FORMS[kind](prefix=kind)
    if not form.validate():
        return refused(lambda: _page(team, {kind: form}, status=400))
    try:
        service.add_record(current_user, kind, team, posted_record(kind, form))
    except DomainError as exc:
        apply_domain_error(form, exc, FORM_NAMES)
        return refused(lambda: _page(team, {kind: form}, status=400))
    flash(_("Sparat."))
    return redirect(url_for("organisation.team", slug=team.slug) + f"#{kind}")


@bp.route("/<slug>/organisation/<kind>/<record_id>", methods=["GET", "POST"])
@login_required
def edit(slug: str, kind: str, record_id: str):
    team = _team(slug)
    kind = _kind(kind)
    if not can_edit_organisation(current_user, team):
        abort(403)
    try:
        record = service.get_record(kind, team, record_id)
    except DomainError:
        abort(404)
    form = FORMS[kind]()
    if not form.is_submitted():
        fill_from(kind, form, record)
        return _edit_page(team, kind, form)
    if not form.validate():
        return refused(lambda: _edit_page(team, kind, form, status=400))
    try:
        service.change_record(current_user, kind, team, record_id, posted_record(kind, form))
    except DomainError as exc:
        apply_domain_error(form, exc, FORM_NAMES)
        return refused(lambda: _edit_page(team, kind, form, status=400))
    flash(_("Ändringen är sparad."))
    return redirect(url_for("organisation.team", slug=team.slug) + f"#{kind}")


def _page(team: Team, forms: dict | None = None, status: int = 200):
    editable = can_edit_organisation(current_user, team)
    forms = {kind: (forms or {}).get(kind) or FORMS[kind](prefix=kind, formdata=None) for kind in KINDS} \
        if editable else {}
    records = {kind: service.records_of(current_user, kind, team) for kind in KINDS}
    return render_template("organisation/team.html", team=team, records=records, forms=forms, editable=editable,
                           changes=change_rows(service.changes_of(current_user, team)), employers=EMPLOYERS,
                           budget_lines=BUDGET_LINES, meeting_kinds=MEETING_KINDS, role_label=role_label), status


def _edit_page(team: Team, kind: str, form, status: int = 200):
    return render_template("organisation/edit.html", team=team, kind=kind, form=form), status
