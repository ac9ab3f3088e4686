"""Forms of the sign-in, account and admin pages, and the Swedish words for the services' refusals."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from casework.errors import DomainError
from casework.web.forms import BaseForm

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


def refusal_text(exc: DomainError) -> str:
    """The Swedish text (through the catalogue) of a refusal from the auth services."""
    reason = getattr(exc, "reason", None)
    texts = {
        "short": _("Lösenordet ska ha minst 12 tecken."),
        "long": _("Lösenordet får ha högst 200 tecken."),
        "common": _("Lösenordet är ett av de vanligaste lösenorden. Välj ett annat."),
        "pattern": _("Lösenordet är ett enkelt mönster (samma tecken eller en följd). Välj ett annat."),
        "personal": _("Lösenordet innehåller ditt e-postnamn eller produktens namn. Välj ett annat."),
        "The current password is wrong.": _("Nuvarande lösenord är fel."),
        "The two new passwords differ.": _("De två nya lösenorden är olika."),
    }
    return texts.get(reason) or texts.get(exc.message) or exc.message


def attach(form: FlaskForm, exc: DomainError) -> None:
    """Show a refusal on the field it names (else above the form)."""
    target = form._fields.get(exc.field) if exc.field else None
    if target is not None:
        target.errors = [*target.errors, refusal_text(exc)]
    else:
        form.form_errors.append(refusal_text(exc))
