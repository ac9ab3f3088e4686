"""The forms of the organisation page: what they post, turned into the record the service checks
(the exchange format's names: `id`, `from`, `to`). The forms add no rule of their own: dates and
amounts are passed on as typed, so the service's schema says what is wrong and on which field.
"""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField

from casework.organisation.service import FIELDS
from casework.vocab import BUDGET_LINES, EMPLOYERS, MEETING_KINDS
from casework.web.forms import BaseForm, choices

DATE_INPUT = {"type": "date", "maxlength": 10}
AMOUNT_INPUT = {"inputmode": "numeric", "maxlength": 13}
# The forms' field names for the exchange format's names that are not Python identifiers to WTForms.
FORM_NAMES = {"id": "staff_ref", "from": "start", "to": "end"}
OPTIONAL = {"to", "outcome", "forecast"}  # left empty: none


class StaffForm(BaseForm):
    staff_ref = StringField(_l("Id (t.ex. S01)"), render_kw={"maxlength": 64})
    name = StringField(_l("Namn"), render_kw={"maxlength": 200})
    role = StringField(_l("Roll"), render_kw={"maxlength": 100})
    employer = SelectField(_l("Arbetsgivare"), choices=choices(EMPLOYERS))
    extent_percent = StringField(_l("Tjänstgöringsgrad i procent"), render_kw={"inputmode": "numeric", "maxlength": 3})
    start = StringField(_l("Från"), render_kw=DATE_INPUT)
    end = StringField(_l("Till (tomt: tills vidare)"), render_kw=DATE_INPUT)
    save = SubmitField(_l("Spara"))


class BudgetForm(BaseForm):
    line = SelectField(_l("Budgetpost"), choices=choices(BUDGET_LINES))
    start = StringField(_l("Från"), render_kw=DATE_INPUT)
    end = StringField(_l("Till"), render_kw=DATE_INPUT)
    decided = StringField(_l("Beslutad budget (kr)"), render_kw=AMOUNT_INPUT)
    outcome = StringField(_l("Utfall (kr)"), render_kw=AMOUNT_INPUT)
    forecast = StringField(_l("Prognos (kr)"), render_kw=AMOUNT_INPUT)
    save = SubmitField(_l("Spara"))


class MeetingForm(BaseForm):
    date = StringField(_l("Datum"), render_kw=DATE_INPUT)
    kind = SelectField(_l("Mötestyp"), choices=choices(MEETING_KINDS))
    save = SubmitField(_l("Spara"))


FORMS = {"staff": StaffForm, "budget": BudgetForm, "meeting": MeetingForm}


def posted_record(kind: str, form) -> dict:
    """The record as the service reads it; an empty optional field is none."""
    record = {}
    for name in FIELDS[kind]:
        value = form[FORM_NAMES.get(name, name)].data
        value = value.strip() if isinstance(value, str) else value
        record[name] = None if name in OPTIONAL and not value else value
    return record


def fill_from(kind: str, form, record) -> None:
    for name, attribute in FIELDS[kind].items():
        value = getattr(record, attribute)
        form[FORM_NAMES.get(name, name)].data = "" if value is None else str(value)
