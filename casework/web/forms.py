"""WTForms pieces shared by the areas' forms."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


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
