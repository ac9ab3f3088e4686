"""The sign-in seam: who proves the first factor. The views talk only to the provider that
CASEWORK_IDENTITY_PROVIDER names; the second factor, sessions and re-authentication stay the same
for any provider.

The one provider today checks e-mail and password. Another one (OpenID Connect through Authlib,
say) would implement the same protocol, register itself in PROVIDERS, and be chosen by setting.
"""

from typing import Protocol

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from casework.auth import service
from casework.auth.forms import LABELS
from casework.auth.models import User
from casework.web.forms import BaseForm


class IdentityProvider(Protocol):
    name: str

    def sign_in_form(self) -> FlaskForm:
        """The form of the first step of sign-in (rendered by `auth/login.html`)."""

    def authenticate(self, form: FlaskForm) -> User | None:
        """The user the validated form proves, or None (the view answers with one message)."""

    def confirm(self, user: User, form: FlaskForm) -> bool:
        """Re-authentication of a signed-in user (the first factor again)."""

    def confirm_form(self) -> FlaskForm:
        """The form of re-authentication's first factor."""


class PasswordSignIn(BaseForm):
    email = EmailField(LABELS["email"], validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(LABELS["secret"], validators=[DataRequired(), Length(max=200)])


class PasswordConfirm(BaseForm):
    password = PasswordField(LABELS["secret"], validators=[DataRequired(), Length(max=200)])


class PasswordProvider:
    """E-mail and password (argon2id), checked against the users table."""

    name = "password"

    def sign_in_form(self) -> FlaskForm:
        return PasswordSignIn()

    def authenticate(self, form: FlaskForm) -> User | None:
        return service.authenticate(form.email.data, form.password.data)

    def confirm_form(self) -> FlaskForm:
        return PasswordConfirm()

    def confirm(self, user: User, form: FlaskForm) -> bool:
        return user.active and service.check_password(user, form.password.data)


PROVIDERS: dict[str, type] = {"password": PasswordProvider}


def provider() -> IdentityProvider:
    name = current_app.config.get("IDENTITY_PROVIDER", "password")
    if name not in PROVIDERS:
        raise RuntimeError(f"Unknown CASEWORK_IDENTITY_PROVIDER {name!r}; known: {', '.join(PROVIDERS)}.")
    return PROVIDERS[name]()
