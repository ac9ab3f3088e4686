"""One form per recordable event type, built from the type's payload schema in the registry.

Each marshmallow field becomes a form field: vocabularies as selects, lists as checkboxes,
booleans as checkboxes, a nested referrer as name and e-mail. The registry stays the one place
that says what an event holds; the service validates what is posted.
"""

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from marshmallow import fields as mf
from marshmallow import validate
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import DateInput, NumberInput, TimeInput

from casework import vocab
from casework.events import instruments
from casework.events.guidance import choose_steps
from casework.events.registry import EVENT_TYPES
from casework.events.state import ParticipantState
from casework.web.forms import BaseForm, MultiCheckboxField, choices, today_text

assert set(vocab.POST_EXIT_MONTHS) == {6, 18}, "update the months_after choices below"

# Activity kinds a coach picks from (the exchange format allows any lower-case id).
ACTIVITY_KINDS = {
    "meeting_point": "Träffpunkt",
    "forest_group": "Skogsgrupp",
    "start_group": "Uppstartsgrupp",
    "introduction_group": "Introduktionsgrupp",
    "solution_focus_group": "Lösningsfokusgrupp",
    "individual": "Individuellt samtal",
    "gym": "Gym",
    "other": "Annan aktivitet",
}

EXIT_SUBTYPE_CHOICES = {key: label for subtypes in vocab.EXIT_SUBTYPES.values() for key, label in subtypes.items()}

FIELD_LABELS = {
    "referrer_present": _l("Remittent närvarande"),
    "mode": _l("Form"),
    "referrer_org": _l("Remittentens organisation"),
    "income_sources": _l("Försörjning"),
    "referrer_name": _l("Remittentens namn"),
    "referrer_email": _l("Remittentens e-post"),
    "consents": _l("Samtycken"),
    "status": _l("Status"),
    "scheduled_for": _l("Bokad till"),
    "scheduled_time": _l("Tid"),
    "kind": _l("Typ"),
    "attended": _l("Deltog"),
    "group_session_id": _l("Gruppträff"),
    "hours": _l("Timmar"),
    "extent_percent": _l("Omfattning (procent av heltid)"),
    "workplace": _l("Arbetsplats"),
    "instrument": _l("Instrument"),
    "answers": _l("Svar"),
    "score": _l("Poäng / steg"),
    "category": _l("Avslutskategori"),
    "subtype": _l("Undertyp"),
    "active_jobseeker": _l("Aktivt arbetssökande"),
    "transfer": _l("Överflyttning till annat team"),
    "closing_document": _l("Slutdokumentation skriven"),
    "months_after": _l("Månader efter avslut"),
    "scope": _l("Samtycke"),
    "gender": _l("Kön"),
    "birth_year": _l("Födelseår"),
    "education": _l("Utbildning"),
    "support_months_before": _l("Månader med offentlig försörjning före"),
    "reason": _l("Skäl till rättelsen"),
    "personal_name": _l("Namn"),
    "personal_personnummer": _l("Personnummer"),
    "personal_phone": _l("Telefon"),
    "personal_email": _l("E-post"),
    "personal_address": _l("Adress"),
}

# (event type or "*", field) -> vocabulary
VOCABULARIES = {
    ("*", "mode"): vocab.STUDY_VISIT_MODES,
    ("*", "referrer_org"): vocab.REFERRER_ORGS,
    ("*", "income_sources"): vocab.INCOME_SOURCES,
    ("*", "consents"): vocab.CONSENT_SCOPES,
    ("*", "scope"): vocab.CONSENT_SCOPES,
    ("follow_up", "status"): vocab.FOLLOW_UP_STATUSES,
    ("post_exit_follow_up", "status"): vocab.POST_EXIT_STATUSES,
    ("activity", "kind"): ACTIVITY_KINDS,
    ("work_training_started", "kind"): vocab.WORK_TRAINING_KINDS,
    ("*", "instrument"): instruments.ALL_IDS,
    ("*", "category"): vocab.EXIT_CATEGORIES,
    ("*", "subtype"): EXIT_SUBTYPE_CHOICES,
    ("*", "months_after"): {"6": "6 månader", "18": "18 månader"},
    ("*", "gender"): vocab.GENDERS,
    ("*", "education"): vocab.EDUCATION_LEVELS,
}

# Free-text payload fields, written in a text area.
MULTILINE = {"reason"}

# Schema fields the form leaves out: survey answers come from questionnaires (import/API).
# Attendance at a group session is recorded through the session (casework.groups), not typed here.
LEFT_OUT = {("survey", "answers"), ("activity", "group_session_id"), ("activity", "hours")}


class EventForm(BaseForm):
    """Common to every type: the date (today by default) and a note (personal data, encrypted)."""

    date = StringField(_l("Datum"), widget=DateInput(), default=today_text, validators=[Length(max=10)])
    note = TextAreaField(_l("Anteckning"), validators=[Length(max=5000)])
    confirm_warnings = BooleanField(_l("Jag har sett varningen och vill spara ändå"))

    event_type: str = ""
    warnings_shown = False  # the last submit was refused for warnings only: offer the confirm box
    payload_fields: tuple[tuple[str, str], ...] = ()  # (form field, payload path)

    def payload(self) -> dict:
        """The posted payload: empty optional values left out, lists and booleans always given."""
        data: dict = {}
        for form_name, path in self.payload_fields:
            field = self[form_name]
            value = field.data
            if isinstance(field, BooleanField):
                value = bool(value)
            elif isinstance(field, MultiCheckboxField):
                value = list(value or [])
            else:
                value = (value or "").strip() or None
                if value is None:
                    continue
                if form_name == "months_after":
                    value = int(value) if value.isdigit() else value
                if form_name == "score":
                    value = value.replace(",", ".")
            if "." in path:
                outer, inner = path.split(".")
                data.setdefault(outer, {})[inner] = value
            else:
                data[path] = value
        return data

    @property
    def note_text(self) -> str | None:
        return (self.note.data or "").strip() or None

    def field_for(self) -> dict[str, str]:
        """Service error paths -> form fields."""
        mapping = {f"data.{path}": name for name, path in self.payload_fields}
        mapping["data.referrer"] = "referrer_name"
        if "scheduled_for" in self._fields:
            mapping["scheduled_for"] = "scheduled_for"
        return mapping


def _form_field(type_name: str, name: str, field: mf.Field):
    label = FIELD_LABELS.get(name, name)
    vocabulary = VOCABULARIES.get((type_name, name)) or VOCABULARIES.get(("*", name))
    if isinstance(field, mf.List):
        return MultiCheckboxField(label, choices=choices(vocabulary, blank=False), validate_choice=False)
    if isinstance(field, mf.Boolean):
        default = field.load_default if isinstance(field.load_default, bool) else False
        return BooleanField(label, default=default)
    if vocabulary is not None:
        return SelectField(label, choices=choices(vocabulary), validate_choice=False)
    if isinstance(field, mf.Date):
        return StringField(label, widget=DateInput(), validators=[Length(max=10)])
    if isinstance(field, mf.Time):
        return StringField(label, widget=TimeInput(), validators=[Length(max=8)])
    if name in MULTILINE:
        return TextAreaField(label, validators=[Length(max=_max_length(field))])
    if isinstance(field, (mf.Integer, mf.Float)):
        return StringField(label, widget=NumberInput(step="any" if isinstance(field, mf.Float) else None),
                           validators=[Length(max=20)])
    return StringField(label, validators=[Length(max=_max_length(field))])


def _max_length(field: mf.Field, default: int = 200) -> int:
    """The payload schema's own bound on a text field, so the form refuses no more and no less."""
    return next((v.max for v in field.validators if isinstance(v, validate.Length) and v.max), default)


def _build_form_class(type_name: str) -> type[EventForm]:
    schema = EVENT_TYPES[type_name].schema()
    attrs: dict = {"event_type": type_name}
    payload_fields = []
    for name, field in schema.fields.items():
        if (type_name, name) in LEFT_OUT:
            continue
        if isinstance(field, mf.Nested):
            for inner in field.schema.fields:
                form_name = f"{name}_{inner}"
                attrs[form_name] = StringField(FIELD_LABELS.get(form_name, form_name),
                                               validators=[Length(max=_max_length(field.schema.fields[inner]))])
                payload_fields.append((form_name, f"{name}.{inner}"))
            continue
        attrs[name] = _form_field(type_name, name, field)
        payload_fields.append((name, name))
    attrs["payload_fields"] = tuple(payload_fields)
    return type(f"{type_name.title().replace('_', '')}Form", (EventForm,), attrs)


RECORDABLE = [name for name, t in EVENT_TYPES.items() if t.recordable]
FORM_CLASSES: dict[str, type[EventForm]] = {name: _build_form_class(name) for name in RECORDABLE}


def event_form(type_name: str, formdata=None) -> EventForm:
    """The form of one type; its fields are prefixed with the type so every form on a page differs.

    The page posts the type itself as a plain `type` field beside the prefixed ones.
    """
    return FORM_CLASSES[type_name](formdata=formdata, prefix=type_name)


@dataclass(frozen=True)
class StepForms:
    """The participant page's step forms: which is open, which are offered, which are kept apart."""

    open_type: str | None
    suggested: list[EventForm]
    valid: list[EventForm]
    earlier_only: list[EventForm]


ONLY_FOR_ANONYMOUS = ("identified",)


def guided_forms(state: ParticipantState, today: dt.date, submitted: EventForm | None = None, *,
                 anonymous: bool = False) -> StepForms:
    """A fresh form for every recordable type, grouped by `guidance.choose_steps`.

    The submitted form (with its errors and values) takes its type's place and is the open one;
    otherwise the likeliest next step is open. Identification is offered to anonymous participants only.
    """
    types = [t for t in RECORDABLE if anonymous or t not in ONLY_FOR_ANONYMOUS]
    choice = choose_steps(state, types, today)

    def form_of(name: str) -> EventForm:
        if submitted is not None and submitted.event_type == name:
            return submitted
        return event_form(name, formdata=None)

    return StepForms(open_type=submitted.event_type if submitted is not None else choice.first,
                     suggested=[form_of(t) for t in choice.suggested], valid=[form_of(t) for t in choice.valid],
                     earlier_only=[form_of(t) for t in choice.earlier_only])


class CorrectionForm(BaseForm):
    reason = TextAreaField(_l("Skäl till rättelsen"), validators=[Length(max=2000)])
    confirm = BooleanField(_l("Jag bekräftar att händelsen ska makuleras"))
