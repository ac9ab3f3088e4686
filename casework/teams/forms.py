"""The team settings form: what the page posts, turned into the raw settings that
`casework.teams.settings` validates (the page adds no rule of its own beyond reading its rows).

Numbers and bounds are posted as text and passed on as given when they are not whole numbers, so
that the settings schema, not the form, says what is wrong and on which field.
"""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, SelectField, StringField, SubmitField, TextAreaField

from casework import text
from casework.errors import Coded, ValidationFailed
from casework.teams.service import validated_settings
from casework.teams.settings import COLUMN_NAME_MAX, MAX_COLUMNS, TeamSettings
from casework.vocab import EXIT_CATEGORIES
from casework.web.forms import BaseForm, MultiCheckboxField, choices

# Dict literals: babel.cfg extracts their labels for the catalogue.
EXCLUSION_LABELS = {**EXIT_CATEGORIES, "within_trial": "Avslut under prövotid"}
YEAR_STARTS = {"1": "Januari (kalenderår)", "7": "Juli (verksamhetsår juli–juni)"}
NUMBER_FIELDS = ("trial_months", "follow_up_interval_months", "retention_years", "queue_retention_months",
                 "queue_limit_months")
BOUND_FIELDS = ("age_brackets", "support_brackets_months")
CHOICE_FIELDS = ("goal_categories", "exclude_from_result")
STEP_FIELDS = ("nns_scale", "process_steps")
TEXT_MAX = 200
# dict(), not a literal: babel.cfg reads this file's dict literals as labels to translate.
NUMBER_INPUT = dict(inputmode="numeric", maxlength=3)  # noqa: C408

# The settings' names on the page and in its history, in the order of TeamSettings.
SETTING_LABELS = {
    "trial_months": _l("Prövotid (månader)"),
    "follow_up_interval_months": _l("Uppföljning med remittent, var … månad"),
    "year_start_month": _l("Verksamhetsåret börjar"),
    "goal_categories": _l("Kategorier som räknas som i mål"),
    "exclude_from_result": _l("Undantas från resultatets nämnare"),
    "age_brackets": _l("Åldersgränser (år)"),
    "support_brackets_months": _l("Gränser för tid i offentlig försörjning (månader)"),
    "report_columns": _l("Resultattabellens kolumner"),
    "retention_years": _l("Gallring efter avslut (år)"),
    "queue_retention_months": _l("Gallring av kö utan inskrivning (månader)"),
    "queue_limit_months": _l("Längsta väntan i kö innan den visas under Att göra (månader)"),
    "nns_scale": _l("NNS-enkätens svarsskala, lägsta steget först (ett per rad)"),
    "process_steps": _l("Processtrappans steg, första steget först (ett per rad)"),
}


class ColumnForm(Form):
    """One column of the result table: its heading and the exit categories it adds up."""

    name = StringField(_l("Kolumnrubrik"), render_kw={"maxlength": COLUMN_NAME_MAX})
    categories = MultiCheckboxField(_l("Avslutskategorier"), choices=choices(EXIT_CATEGORIES, blank=False))


class TeamSettingsForm(BaseForm):
    trial_months = StringField(SETTING_LABELS["trial_months"], render_kw=NUMBER_INPUT)
    follow_up_interval_months = StringField(SETTING_LABELS["follow_up_interval_months"],
                                            render_kw=NUMBER_INPUT)
    year_start_month = SelectField(SETTING_LABELS["year_start_month"], choices=choices(YEAR_STARTS, blank=False))
    goal_categories = MultiCheckboxField(SETTING_LABELS["goal_categories"],
                                         choices=choices(EXIT_CATEGORIES, blank=False))
    exclude_from_result = MultiCheckboxField(SETTING_LABELS["exclude_from_result"],
                                             choices=choices(EXCLUSION_LABELS, blank=False))
    age_brackets = StringField(SETTING_LABELS["age_brackets"], render_kw={"maxlength": TEXT_MAX})
    support_brackets_months = StringField(SETTING_LABELS["support_brackets_months"],
                                          render_kw={"maxlength": TEXT_MAX})
    retention_years = StringField(SETTING_LABELS["retention_years"], render_kw=NUMBER_INPUT)
    queue_retention_months = StringField(SETTING_LABELS["queue_retention_months"],
                                         render_kw=NUMBER_INPUT)
    queue_limit_months = StringField(SETTING_LABELS["queue_limit_months"], render_kw=NUMBER_INPUT)
    nns_scale = TextAreaField(SETTING_LABELS["nns_scale"], render_kw={"rows": 10})
    process_steps = TextAreaField(SETTING_LABELS["process_steps"], render_kw={"rows": 7})
    columns = FieldList(FormField(ColumnForm), min_entries=MAX_COLUMNS, max_entries=MAX_COLUMNS)
    preview = SubmitField(_l("Förhandsgranska"))
    save = SubmitField(_l("Spara"))

    def fill_from(self, settings: TeamSettings) -> None:
        """Show the stored settings (on the first visit)."""
        for key in NUMBER_FIELDS:
            self[key].data = str(getattr(settings, key))
        self.year_start_month.data = str(settings.year_start_month)
        for key in CHOICE_FIELDS:
            self[key].data = list(getattr(settings, key))
        for key in BOUND_FIELDS:
            self[key].data = ", ".join(str(v) for v in getattr(settings, key))
        for key in STEP_FIELDS:
            self[key].data = "\n".join(getattr(settings, key))
        for row, (name, categories) in zip(self.columns, settings.report_columns.items(), strict=False):
            row.form.name.data = name
            row.form.categories.data = list(categories)

    def checked_settings(self) -> dict:
        """The settings as posted once they pass the settings rules. ValidationFailed names every
        fault at once: the rules' and the column rows' own (categories without a heading, a
        heading used twice), all under `settings.<field>`."""
        raw, row_problems = self._raw_settings()
        errors: dict = {}
        try:
            validated_settings(raw)
        except ValidationFailed as exc:
            errors = dict(exc.errors["settings"])
        if row_problems:
            errors["report_columns"] = [*row_problems, errors["report_columns"]] if "report_columns" in errors \
                else row_problems
        if errors:
            raise ValidationFailed("team.settings_invalid", "Invalid team settings.", errors={"settings": errors})
        return raw

    def _raw_settings(self) -> tuple[dict, list]:
        raw: dict = {key: _number(self[key].data) for key in NUMBER_FIELDS}
        raw["year_start_month"] = _number(self.year_start_month.data)
        raw |= {key: list(self[key].data or []) for key in CHOICE_FIELDS}
        raw |= {key: [_number(v) for v in re.split(r"[\s,;]+", (self[key].data or "").strip()) if v]
                for key in BOUND_FIELDS}
        raw |= {key: [line.strip() for line in (self[key].data or "").splitlines() if line.strip()]
                for key in STEP_FIELDS}
        raw["report_columns"], problems = self._columns()
        return raw, problems

    def _columns(self) -> tuple[dict, list]:
        columns: dict = {}
        problems = []
        for number, row in enumerate(self.columns, start=1):
            name, categories = (row.form.name.data or "").strip(), list(row.form.categories.data or [])
            if problem := text.text_problem(name):
                problems.append(problem)
                row.form.name.data = text.shown(name)
            elif not name and categories:
                problems.append(Coded("settings.column_unnamed", f"Column {number} has categories but no heading.",
                                      row=number))
            elif name in columns:
                problems.append(Coded("settings.column_name_twice", f"Two columns are headed {name!r}.", column=name))
            elif name:
                columns[name] = categories
        return columns, problems


def _number(text):
    """A whole number as a number; anything else as given, for the schema to refuse on its field."""
    text = (text or "").strip() if isinstance(text, str) else text
    return int(text) if isinstance(text, str) and re.fullmatch(r"-?\d{1,6}", text) else text


def describe(key: str, value) -> str:
    """A setting's value as the history shows it (category ids in Swedish)."""
    if value is None:
        return "–"
    if key == "report_columns":
        if not value:
            return str(_l("en kolumn per kategori"))
        return "; ".join(f"{name}: {', '.join(_(EXIT_CATEGORIES.get(c, c)) for c in cats)}"
                         for name, cats in value.items())
    if key in CHOICE_FIELDS:
        return ", ".join(_(EXCLUSION_LABELS.get(c, c)) for c in value) or "–"
    if key == "year_start_month":
        return _(YEAR_STARTS.get(str(value), str(value)))
    if key in STEP_FIELDS:
        return ", ".join(f"{n} {_(label)}" for n, label in enumerate(value, start=1))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
