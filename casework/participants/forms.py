"""Forms of the coach's participant pages.

The forms carry the user's input, the CSRF token and the Swedish labels; the rules live in the
services (`register_at_intake`, `append_event`), whose errors are put back on the fields here.
Dates and numbers are text fields so that the services' own checks (and their messages) apply.
"""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import DateInput, NumberInput

from casework import vocab
from casework.events.state import PHASE_LABELS
from casework.web.forms import BaseForm, MultiCheckboxField, choices, today_text


class SearchForm(BaseForm):
    """Sent by POST so that a name or personnummer never appears in a URL."""

    q = StringField(_l("Namn eller personnummer"), validators=[Optional(), Length(max=200)])
    phase = SelectField(_l("Fas"), choices=[SelectChoice("", _l("Alla faser")), *choices(PHASE_LABELS, blank=False)],
                        validate_choice=False)


class RegisterForm(BaseForm):
    """A new person at the first contact: facts, personal data (unless anonymous), first step."""

    gender = SelectField(_l("Kön"), choices=choices(vocab.GENDERS), validate_choice=False)
    birth_year = StringField(_l("Födelseår"), widget=NumberInput(), validators=[Length(max=10)])
    education = SelectField(_l("Utbildning"), choices=choices(vocab.EDUCATION_LEVELS, blank=False),
                            default="unknown", validate_choice=False)
    support_months_before = StringField(_l("Månader med offentlig försörjning före"), widget=NumberInput(min=0),
                                        validators=[Length(max=10)])

    anonymous = BooleanField(_l("Anonym deltagare (inga personuppgifter)"))
    name = StringField(_l("Namn"), validators=[Length(max=200)])
    personnummer = StringField(_l("Personnummer"), validators=[Length(max=20)])
    phone = StringField(_l("Telefon"), validators=[Length(max=40)])
    email = StringField(_l("E-post"), validators=[Length(max=254)])
    address = StringField(_l("Adress"), validators=[Length(max=300)])

    step = RadioField(_l("Första steg"), choices=[SelectChoice("study_visit", _l("Studiebesök")),
                                                  SelectChoice("referral_received", _l("Remiss mottagen"))],
                      default="study_visit", validate_choice=False)
    date = StringField(_l("Datum"), widget=DateInput(), default=today_text, validators=[Length(max=10)])
    mode = SelectField(_l("Form"), choices=choices(vocab.STUDY_VISIT_MODES, blank=False), validate_choice=False)
    referrer_present = BooleanField(_l("Remittent närvarande"))
    referrer_org = SelectField(_l("Remittentens organisation"), choices=choices(vocab.REFERRER_ORGS),
                               validate_choice=False)
    income_sources = MultiCheckboxField(_l("Försörjning"), choices=choices(vocab.INCOME_SOURCES, blank=False),
                                        validate_choice=False)
    referrer_name = StringField(_l("Remittentens namn"), validators=[Length(max=200)])
    referrer_email = StringField(_l("Remittentens e-post"), validators=[Length(max=254)])
    note = TextAreaField(_l("Anteckning"), validators=[Length(max=5000)])
    confirm_warnings = BooleanField(_l("Jag har sett varningen och vill spara ändå"))

    warnings_shown = False  # the last submit was refused for warnings only: offer the confirm box
    PERSONAL = ("name", "personnummer", "phone", "email", "address")
    # service error path -> form field
    FIELD_FOR = {"personal": "name", **{f"personal.{name}": name for name in PERSONAL},
                 "first_step": "step", "first_step.type": "step", "type": "step",
                 "first_step.date": "date", "first_step.note": "note", "data.referrer.name": "referrer_name",
                 "data.referrer.email": "referrer_email", "data.referrer": "referrer_name"}

    MESSAGE_FOR = {"personal.personnummer": _l("Ogiltigt personnummer."),
                   "personal.email": _l("Ogiltig e-postadress.")}

    def intake_input(self) -> dict:
        """The form as `register_at_intake` input; empty optional values are left out."""
        personal = {k: self[k].data.strip() for k in self.PERSONAL if (self[k].data or "").strip()}
        raw = {"gender": self.gender.data or None, "birth_year": _text(self.birth_year.data),
               "education": self.education.data or "unknown", "anonymous": bool(self.anonymous.data),
               "personal": personal, "first_step": self.first_step(),
               "confirm_warnings": bool(self.confirm_warnings.data)}
        if _text(self.support_months_before.data) is not None:
            raw["support_months_before"] = _text(self.support_months_before.data)
        return raw

    def first_step(self) -> dict:
        if self.step.data == "referral_received":
            data = {"referrer_org": self.referrer_org.data or None, "income_sources": list(self.income_sources.data or [])}
            referrer = {k: v for k, v in {"name": _text(self.referrer_name.data),
                                          "email": _text(self.referrer_email.data)}.items() if v}
            if referrer:
                data["referrer"] = referrer
        else:
            data = {"mode": self.mode.data or "physical", "referrer_present": bool(self.referrer_present.data)}
        return {"type": self.step.data, "date": _text(self.date.data), "data": data, "note": _text(self.note.data)}


def _text(value) -> str | None:
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    return value or None
