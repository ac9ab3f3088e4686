"""Web pages of the follow-up schedule: the referrer's (and coach's) own schedule, the team
overview, the calendar feed and accepting an invitation."""

import datetime as dt

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.auth import throttle
from casework.auth.permissions import staff_team_ids
from casework.errors import DomainError, NeedsConfirmation
from casework.extensions import db
from casework.schedule import calendar, overview, service
from casework.vocab import REFERRER_ORGS

bp = Blueprint("schedule", __name__, url_prefix="/schedule")
PURPOSE = "follow_up_schedule"


def _schedule_user():
    service.require_referrer_or_staff(current_user)
    return current_user


def _field_labels() -> dict[str, str]:
    """The form fields of the schedule pages, by the name a service error gives."""
    return {"scheduled_for": _("Datum"), "scheduled_time": _("Tid"), "held_on": _("Genomförd den"),
            "note": _("Kort anteckning"), "status": _("Status"), "date": _("Från och med"), "email": _("E-post"),
            "name": _("Namn"), "referrer_org": _("Organisation"), "participant_id": _("Deltagare")}


def _render_mine(status: int = 200, error: DomainError | None = None, feed_url: str | None = None,
                 row: dict | None = None):
    """The schedule; `row` is the line a refused or unconfirmed form came from: its participant
    id, the values entered (kept in its fields) and, for a question, what is to be confirmed."""
    user = current_user
    entries = service.with_names(service.schedule_for(user), user, PURPOSE)
    groups = [
        ("overdue", _("Försenade"), [e for e in entries if e.overdue]),
        ("due_soon", _("Inom 30 dagar"), [e for e in entries if e.due_soon]),
        ("later", _("Senare"), [e for e in entries if not e.overdue and not e.due_soon]),
    ]
    return render_template("schedule/mine.html", groups=groups, entries=entries, error=error,
                           field_labels=_field_labels(), row=row or {},
                           today=dt.date.today(), feed_active=calendar.has_feed(user), feed_url=feed_url,
                           is_staff=bool(staff_team_ids(user))), status


@bp.route("")
@login_required
def mine():
    _schedule_user()
    return _render_mine()


@bp.route("/<participant_id>/book", methods=["POST"])
@login_required
def book(participant_id: str):
    user = _schedule_user()
    form = request.form
    try:
        if form.get("booking_id"):
            service.reschedule(user, form["booking_id"], form.get("scheduled_for", ""), form.get("scheduled_time"))
        else:
            service.book(user, participant_id, form.get("scheduled_for", ""), form.get("scheduled_time"))
    except DomainError as exc:
        db.session.rollback()
        return _render_mine(exc.status, exc, row={"participant_id": participant_id, **_kept(form)})
    flash(_("Uppföljningen är bokad."))
    return redirect(url_for("schedule.mine"), 303)


@bp.route("/bookings/<booking_id>/close", methods=["POST"])
@login_required
def close(booking_id: str):
    user = _schedule_user()
    form = request.form
    row = {"booking_id": booking_id, **_kept(form)}
    if form.get("status") == "cancelled" and not form.get("confirm"):
        return _render_mine(row={**row, "confirm": "cancelled"})
    try:
        service.close(user, booking_id, form.get("status", ""), form.get("note"), form.get("held_on") or None,
                      confirm_early=bool(form.get("confirm")))
    except NeedsConfirmation:
        db.session.rollback()
        return _render_mine(row={**row, "confirm": "held"})
    except DomainError as exc:
        db.session.rollback()
        return _render_mine(exc.status, exc, row=row)
    flash(_("Uppföljningen är markerad som genomförd.") if form.get("status") == "held"
          else _("Uppföljningen är inställd."))
    return redirect(url_for("schedule.mine"), 303)


def _kept(form) -> dict:
    """The values a user typed, to be shown again in their fields."""
    return {name: form.get(name, "") for name in ("scheduled_for", "scheduled_time", "note")}


@bp.route("/team")
@login_required
def team():
    teams = overview.teams_of(current_user)
    if not teams:
        abort(403)
    return _render_team(teams, request.args.get("team"))


def _render_team(teams, slug: str | None, status: int = 200, error: DomainError | None = None):
    chosen = overview.chosen_team(teams, slug)
    return render_template("schedule/team.html", teams=teams, chosen=chosen, error=error, field_labels=_field_labels(),
                           view=overview.team_overview(current_user, chosen, PURPOSE),
                           org_labels={k: _(v) for k, v in REFERRER_ORGS.items()},
                           feed_active=calendar.has_feed(current_user), feed_url=None), status


@bp.route("/team/handover", methods=["POST"])
@login_required
def handover():
    teams = overview.teams_of(current_user)
    if not teams:
        abort(403)
    form = request.form
    try:
        team = overview.hand_over(current_user, form.get("participant_id", ""), form.get("date", ""),
                                  form.get("referrer_org", ""), form.get("name", ""), form.get("email", ""))
    except DomainError as exc:
        db.session.rollback()
        return _render_team(teams, form.get("team"), exc.status, exc)
    flash(_("Deltagaren har fått en ny remittent."))
    return redirect(url_for("schedule.team", team=team.slug), 303)


@bp.route("/feed", methods=["POST"])
@login_required
def renew_feed():
    user = _schedule_user()
    token = calendar.renew_feed(user)
    return _render_mine(feed_url=url_for("schedule.feed", token=token, _external=True))


@bp.route("/feed/revoke", methods=["POST"])
@login_required
def revoke_feed():
    user = _schedule_user()
    calendar.revoke_feed(user)
    flash(_("Kalenderlänken är spärrad."))
    return redirect(url_for("schedule.mine"), 303)


@bp.route("/feed/<token>.ics")
@throttle.feed
def feed(token: str):
    user = calendar.feed_user(token)
    if user is None:
        throttle.refused("feed")
        abort(404)
    body = calendar.feed_for(user)
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, no-store"})
