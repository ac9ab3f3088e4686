"""Forms of the sign-in, account and admin pages, and how the services' refusals are shown on them."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from casework.errors import DomainError
from casework.web.forms import BaseForm
from casework.web.messages import error_text

# Field labels in Swedish; the templates translate them. A dict, so that babel.cfg's label
# extractor finds them for the catalogue.
LABELS = {"email": "E-post", "secret": "Lösenord", "code": "Kod", "current": "Nuvarande lösenord",
          "password": "Nytt lösenord", "repeated": "Nytt lösenord igen"}


class CodeForm(BaseForm):
    code = StringField(LABELS["code"], validators=[DataRequired(), Length(max=20)])


class PasswordChangeForm(BaseForm):
    current = PasswordField(LABELS["current"], validators=[DataRequired()])
    password = PasswordField(LABELS["password"], validators=[DataRequired()])
    repeated = PasswordField(LABELS["repeated"], validators=[DataRequired()])


class EmptyForm(BaseForm):
    """A button: only the CSRF token."""


def attach(form: FlaskForm, exc: DomainError) -> None:
    """Show a refusal on the field it names (else above the form)."""
    target = form._fields.get(exc.field) if exc.field else None
    if target is not None:
        target.errors = [*target.errors, error_text(exc)]
    else:
        form.form_errors.append(error_text(exc))
