"""WTForms pieces shared by the areas' forms.

`BaseForm` is the base of every form: what a page posts is checked by `casework.text` like the
API. Every text a form carries (text fields, text areas, selects, lists of checkboxes) is refused,
with a Swedish message on the field, when it holds a character that may not be stored; a text
area is free text, where newlines and tabs are allowed (the browser's CR LF becomes LF).
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from casework import text


def choices(vocabulary: dict, blank: bool = True) -> list[SelectChoice]:
    """The vocabulary's options; labels translated when rendered (they are Swedish source strings)."""
    options = [SelectChoice(str(key), _l(label)) for key, label in vocabulary.items()]
    return [SelectChoice("", _l("– välj –")), *options] if blank else options


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; the values are checked against the vocabulary by the service."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def today_text() -> str:
    return dt.date.today().isoformat()


MESSAGES = {
    text.NUL: _l("Innehåller ett NUL-tecken, som inte kan sparas."),
    text.CONTROL: _l("Innehåller ett styrtecken, som inte kan sparas."),
    text.LINE_BREAK: _l("Får inte innehålla radbrytningar eller tabbar."),
    text.SURROGATE: _l("Innehåller ett ogiltigt tecken, som inte kan sparas."),
    text.BIDI: _l("Innehåller ett tecken som vänder textens riktning, som inte kan sparas."),
}


class BaseForm(FlaskForm):
    class Meta:
        def render_field(self, field, render_kw):
            """The CSRF field has no id: a page with several forms would repeat it (ids are unique)."""
            if field.type == "CSRFTokenField":
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            multiline = isinstance(field, TextAreaField)
            if multiline and isinstance(field.data, str):
                field.data = text.normalise_newlines(field.data)
            values = field.data if isinstance(field.data, list | tuple) else [field.data]
            problem = next((p for v in values if isinstance(v, str) and (p := text.text_problem(v, multiline))), None)
            if problem:
                field.errors = [*field.errors, MESSAGES[problem]]
                field.data = _shown(field.data, multiline)
                valid = False
        return valid


def _shown(data, multiline: bool):
    """What the page shows back: a lone surrogate cannot even be sent to the browser."""
    if isinstance(data, list | tuple):
        return [text.shown(v, multiline) if isinstance(v, str) else v for v in data]
    return text.shown(data, multiline)
