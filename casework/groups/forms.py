"""The group session forms: what a coach types and ticks; the service checks what is posted."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import DateInput, NumberInput

from casework.vocab import GROUP_SESSION_KINDS
from casework.web.forms import BaseForm, MultiCheckboxField, choices, today_text


class GroupSessionForm(BaseForm):
    date = StringField(_l("Datum"), widget=DateInput(), default=today_text, validators=[Length(max=10)])
    kind = SelectField(_l("Slag av gruppträff"), choices=choices(GROUP_SESSION_KINDS), validate_choice=False)
    hours = StringField(_l("Timmar"), widget=NumberInput(step="0.5", min="0.5", max="12"),
                        validators=[Length(max=10)])
    leader = SelectField(_l("Ledare"), validate_choice=False)
    attendees = MultiCheckboxField(_l("Deltagare som var med"), validate_choice=False)
    note = TextAreaField(_l("Anteckning"), validators=[Length(max=5000)])


class GroupSessionCorrectionForm(BaseForm):
    hours = StringField(_l("Timmar"), widget=NumberInput(step="0.5", min="0.5", max="12"),
                        validators=[Length(max=10)])
    attendees = MultiCheckboxField(_l("Deltagare som var med"), validate_choice=False)
    reason = TextAreaField(_l("Skäl till rättelsen"), validators=[Length(max=500)])


def hours_value(text: str | None):
    """The typed hours as a number (a decimal comma taken as a point), or the text for the service to refuse."""
    cleaned = (text or "").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value
