"""Sign-in in two steps (first factor through the provider seam, then the TOTP code or enrolment),
sign-out and re-authentication."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.audit.security import security_event
from casework.auth import sessions, throttle, twofactor
from casework.auth.forms import CodeForm
from casework.auth.login import PENDING_KEY, begin_pending, begin_session, current_session, end_session, pending_session
from casework.auth.providers import provider
from casework.errors import ValidationFailed
from casework.extensions import db

bp = Blueprint("auth", __name__)


def home_for(user) -> str:
    """Where each role starts: its own work, nothing more."""
    targets = {"coach": "participants.index", "team_lead": "participants.index",
               "referrer": "schedule.mine", "analyst": "reports.index", "auditor": "protection.access_log",
               "admin": "auth.admin_users"}
    endpoint = targets.get(user.role, "auth.account")
    return url_for(endpoint if endpoint in current_app.view_functions else "auth.account")


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (no scheme, no host, no backslash tricks)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
@throttle.sign_in
def login():
    idp = provider()
    form = idp.sign_in_form()
    if form.validate_on_submit():
        user = idp.authenticate(form)
        if user is None:
            throttle.refused("sign-in")
            security_event("sign_in_failed")
            form.password.errors.append(_("Fel e-post eller lösenord."))
        elif twofactor.required_for(user):
            begin_pending(user)
            return redirect(url_for("auth.second_factor" if twofactor.is_enrolled(user) else "auth.enrol"))
        else:
            begin_session(user)
            security_event("sign_in_succeeded", user_id=user.id)
            return redirect(home_for(user))
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" or form.errors == {} else 400


def _start_again():
    session.pop(PENDING_KEY, None)
    flash(_("Inloggningen avbröts eller tog för lång tid. Logga in igen."), "error")
    return redirect(url_for("auth.login"))


def _wrong_code(pending, form):
    """Count the failure (kept although the answer is an error, as is a secret being enrolled, so
    that the app need not scan again) and say so on the code field."""
    throttle.refused("sign-in")
    ended = sessions.count_failed_code(pending)
    security_event("sign_in_throttled" if ended else "second_factor_failed", user_id=pending.user_id)
    db.session.commit()
    if ended:
        return _start_again()
    form.code.errors.append(_("Koden är fel eller redan använd."))
    return None


@bp.route("/login/code", methods=["GET", "POST"])
@throttle.second_factor
def second_factor():
    pending = pending_session()
    if pending is None:
        return _start_again()
    user = pending.user
    if not twofactor.is_enrolled(user):
        return redirect(url_for("auth.enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        used = twofactor.verify(user, form.code.data)
        if used is not None:
            sessions.end(pending)
            begin_session(user)
            security_event("sign_in_succeeded", user_id=user.id, kind=used)
            if used == "recovery":
                flash(_("Du loggade in med en reservkod. Koder kvar: %(left)s.",
                        left=twofactor.recovery_codes_left(user)), "error")
            return redirect(home_for(user))
        if (restart := _wrong_code(pending, form)) is not None:
            return restart
    return render_template("auth/code.html", form=form), 400 if form.errors else 200


@bp.route("/login/enrol", methods=["GET", "POST"])
@throttle.second_factor
def enrol():
    pending = pending_session()
    if pending is None:
        return _start_again()
    user = pending.user
    if twofactor.is_enrolled(user):
        return redirect(url_for("auth.second_factor"))
    form = CodeForm()
    secret = twofactor.enrolment_secret(user)
    if form.validate_on_submit():
        try:
            codes = twofactor.confirm_enrolment(user, form.code.data)
        except ValidationFailed:
            codes = None
        if codes is not None:
            sessions.end(pending)
            begin_session(user)
            security_event("sign_in_succeeded", user_id=user.id, kind="enrolment")
            return render_template("auth/recovery_codes.html", codes=codes, next=home_for(user))
        if (restart := _wrong_code(pending, form)) is not None:
            return restart
    uri = twofactor.provisioning_uri(user, secret)
    return render_template("auth/enrol.html", form=form, secret=secret, qr=twofactor.qr_data_uri(uri)), \
        400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    end_session()
    flash(_("Du är utloggad."))
    return redirect(url_for("auth.login"))


@bp.route("/reauth", methods=["GET", "POST"])
@login_required
def reauth():
    """Password (and code) again before a grave action; then back where the user was."""
    row = current_session()
    target = safe_next(request.args.get("next")) or url_for("auth.account")
    if row is None:
        return redirect(target)
    form = provider().confirm_form()
    needs_code = twofactor.required_for(current_user) and twofactor.is_enrolled(current_user)
    code_form = CodeForm(meta={"csrf": False}) if needs_code else None
    if request.method == "POST" and form.validate() and (code_form is None or code_form.validate()):
        if not provider().confirm(current_user, form):
            form.password.errors.append(_("Fel lösenord."))
        elif code_form is not None and twofactor.verify(current_user, code_form.code.data) is None:
            code_form.code.errors.append(_("Koden är fel eller redan använd."))
        else:
            sessions.mark_authenticated(row)
            return redirect(target)
        if sessions.count_failed_code(row):
            db.session.commit()
            end_session()
            flash(_("För många felaktiga försök. Logga in igen."), "error")
            return redirect(url_for("auth.login"))
        db.session.commit()
    status = 400 if form.errors or (code_form is not None and code_form.errors) else 200
    return render_template("auth/reauth.html", form=form, code_form=code_form), status


@bp.route("/language/<lang>", methods=["POST"])
def language(lang: str):
    if lang in ("sv", "en"):
        session["lang"] = lang
    return redirect(request.referrer or url_for("auth.index"))
