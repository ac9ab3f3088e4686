from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email

from casework.auth.service import authenticate

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField("E-post", validators=[DataRequired(), Email()])
    password = PasswordField("Lösenord", validators=[DataRequired()])


def home_for(user) -> str:
    """Where each role starts: its own work, nothing more."""
    targets = {"coach": "participants.index", "team_lead": "participants.index",
               "referrer": "schedule.mine", "analyst": "reports.index", "auditor": "protection.access_log",
               "admin": "auth.account"}
    endpoint = targets.get(user.role, "auth.account")
    from flask import current_app

    return url_for(endpoint if endpoint in current_app.view_functions else "auth.account")


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Fel e-post eller lösenord."))
        else:
            session.clear()
            login_user(user)
            return redirect(home_for(user))
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" or form.errors == {} else 400


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash(_("Du är utloggad."))
    return redirect(url_for("auth.login"))


@bp.route("/account")
@login_required
def account():
    return render_template("auth/account.html")


@bp.route("/language/<lang>", methods=["POST"])
def language(lang: str):
    if lang in ("sv", "en"):
        session["lang"] = lang
    return redirect(request.referrer or url_for("auth.index"))
