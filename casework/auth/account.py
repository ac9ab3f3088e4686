"""The account page (own sessions, API tokens, password) and the admin's list of users."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.audit.security import security_event
from casework.auth import service, sessions, tokens, twofactor
from casework.auth.forms import EmptyForm, PasswordChangeForm, attach
from casework.auth.login import begin_session, current_session
from casework.auth.permissions import can_manage_users
from casework.auth.views import bp
from casework.errors import DomainError, NotFound


def _account_page(password_form=None, status=200):
    return render_template("auth/account.html", sessions=sessions.active_sessions(current_user),
                           this_session=current_session(), tokens=tokens.tokens_of(current_user),
                           is_current=tokens.is_current, button=EmptyForm(),
                           password_form=password_form or PasswordChangeForm(),
                           codes_left=twofactor.recovery_codes_left(current_user)), status


@bp.route("/account")
@login_required
def account():
    return _account_page()


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _account_page(form, 400)
    try:
        service.change_password(current_user, form.current.data, form.password.data, form.repeated.data)
    except DomainError as exc:
        attach(form, exc)
        return _account_page(form, 400)
    security_event("password_changed")
    begin_session(current_user._get_current_object())
    flash(_("Lösenordet är bytt. Dina andra inloggningar är avslutade."))
    return redirect(url_for("auth.account"))


@bp.route("/account/sessions/<record_id>/end", methods=["POST"])
@login_required
def end_own_session(record_id):
    row = sessions.get_session_of(current_user, record_id)
    if row is None:
        abort(404)
    sessions.end(row)
    flash(_("Inloggningen är avslutad."))
    return redirect(url_for("auth.account"))


@bp.route("/account/tokens/<token_id>/revoke", methods=["POST"])
@login_required
def revoke_own_token(token_id):
    try:
        tokens.revoke(tokens.get_token(token_id, owner=current_user))
    except NotFound:
        abort(404)
    flash(_("Nyckeln är återkallad."))
    return redirect(url_for("auth.account"))


def _admin_only():
    if not can_manage_users(current_user):
        abort(403)


@bp.route("/admin/users")
@login_required
def admin_users():
    _admin_only()
    users = service.list_users()
    return render_template("auth/admin_users.html", users=users, button=EmptyForm(),
                           sessions_of={u.id: len(sessions.active_sessions(u)) for u in users},
                           tokens_of={u.id: [t for t in tokens.tokens_of(u) if tokens.is_current(t)] for u in users},
                           enrolled=twofactor.is_enrolled)


@bp.route("/admin/users/<user_id>/<action>", methods=["POST"])
@login_required
def admin_user_action(user_id, action):
    _admin_only()
    if action not in ("deactivate", "activate"):
        abort(404)
    try:
        user = service.get_user(user_id)
    except NotFound:
        abort(404)
    if user.id == current_user.id:
        flash(_("Du kan inte avaktivera ditt eget konto."), "error")
        return redirect(url_for("auth.admin_users"))
    if action == "deactivate":
        service.deactivate(user)
        flash(_("Kontot är avaktiverat; dess inloggningar och nycklar är avslutade."))
    else:
        service.activate(user)
        flash(_("Kontot är aktiverat."))
    return redirect(url_for("auth.admin_users"))


@bp.route("/admin/tokens/<token_id>/revoke", methods=["POST"])
@login_required
def admin_revoke_token(token_id):
    _admin_only()
    try:
        tokens.revoke(tokens.get_token(token_id))
    except NotFound:
        abort(404)
    flash(_("Nyckeln är återkallad."))
    return redirect(url_for("auth.admin_users"))
