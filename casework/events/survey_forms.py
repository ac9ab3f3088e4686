"""One form per survey instrument, for typing a paper questionnaire in at speed.

One row per question, a short text box each (digits, a decimal comma for ORS and SRS, empty for
not answered), so the coach types a number and tabs straight down. The form only turns the text
into numbers; whether a number is on the instrument's scale is the event rule's to say
(`instruments.check_answers`), and its messages come back to the question's row.
"""

from functools import cache

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import DateInput

from casework.events.instruments import INSTRUMENTS, Instrument
from casework.web.forms import BaseForm, today_text


def _number_text(form, field) -> None:
    text = (field.data or "").strip().replace(",", ".")
    if not text:
        return
    try:
        float(text)
    except ValueError:
        raise ValidationError(_l("Ange ett tal.")) from None


class SurveyForm(BaseForm):
    """Date and note (free-text answers, encrypted) around the instrument's question rows."""

    date = StringField(_l("Datum"), widget=DateInput(), default=today_text, validators=[Length(max=10)])
    note = TextAreaField(_l("Anteckning (fritextsvar)"), validators=[Length(max=5000)])

    instrument: Instrument

    def question_fields(self):
        return [self[question] for question in self.instrument.questions]

    def answers(self) -> dict:
        """Numbers keyed by question; an empty row is null (not answered) or left out when the
        instrument needs every answer, so the rule names it."""
        answers: dict = {}
        for question in self.instrument.questions:
            text = (self[question].data or "").strip().replace(",", ".")
            if text:
                number = float(text)
                answers[question] = int(number) if number.is_integer() else number
            elif self.instrument.scale.may_be_empty:
                answers[question] = None
        return answers

    @property
    def note_text(self) -> str | None:
        return (self.note.data or "").strip() or None

    def field_for(self) -> dict[str, str]:
        """Service error paths -> form fields."""
        mapping = {f"data.answers.{question}": question for question in self.instrument.questions}
        mapping["data.answers"] = self.question_fields()[0].name
        return mapping


@cache
def _form_class(instrument_id: str) -> type[SurveyForm]:
    instrument = INSTRUMENTS[instrument_id]
    mode = "numeric" if instrument.scale.whole_steps else "decimal"
    attrs: dict = {"instrument": instrument}
    for question, text in instrument.questions.items():
        attrs[question] = StringField(_l(text), validators=[Length(max=5), _number_text],
                                      render_kw={"inputmode": mode, "size": 4, "class": "answer"})
    name = "".join(part.title() for part in instrument_id.split("_")) + "Form"
    return type(name, (SurveyForm,), attrs)


def survey_form(instrument_id: str, formdata=None) -> SurveyForm:
    return _form_class(instrument_id)(formdata=formdata)
