"""Team settings (DOMAIN.md §6): validated by a marshmallow schema, read as a frozen dataclass.

Every way in (the settings page, an import's `team` line, the API) loads settings through
`load_settings`, so the rules below, and the messages tied to the field at fault, are one place.
"""

from collections import Counter
from dataclasses import asdict, dataclass, field

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from casework.errors import Coded
from casework.schemas import InputSchema
from casework.text import text_problem
from casework.vocab import EXIT_CATEGORIES

DEFAULT_SUPPORT_BRACKETS_MONTHS = (12, 24, 36, 48, 60, 72, 96, 108)
RESULT_EXCLUSIONS = {**{c: c for c in EXIT_CATEGORIES}, "within_trial": "within_trial"}
COLUMN_NAME_MAX = 60
MAX_COLUMNS = len(EXIT_CATEGORIES)

# The NNS answer scale (DOMAIN.md §7), lowest to highest: answers are the step numbers 1..N and
# `top_two_share` counts the two highest, so a scale needs three steps for that share to mean
# anything. The process staircase: steps 1..N, N at most 7 (§7's event rule).
DEFAULT_NNS_SCALE = ("inte alls", "till liten del", "till viss del", "till stor del", "till mycket stor del",
                     "helt och hållet")
DEFAULT_PROCESS_STEPS = tuple(f"Steg {n}" for n in range(1, 8))
NNS_SCALE_STEPS = (3, 10)
PROCESS_STEPS_RANGE = (2, 7)
STEP_LABEL_MAX = 60


@dataclass(frozen=True)
class TeamSettings:
    trial_months: int = 2
    follow_up_interval_months: int = 3
    year_start_month: int = 1
    goal_categories: tuple[str, ...] = ("work", "studies", "vocational_rehab")
    exclude_from_result: tuple[str, ...] = ("dropout",)
    age_brackets: tuple[int, ...] = (18, 31, 46, 65)
    support_brackets_months: tuple[int, ...] = DEFAULT_SUPPORT_BRACKETS_MONTHS
    report_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    retention_years: int = 5
    queue_retention_months: int = 6
    queue_limit_months: int = 2
    nns_scale: tuple[str, ...] = DEFAULT_NNS_SCALE
    process_steps: tuple[str, ...] = DEFAULT_PROCESS_STEPS

    @property
    def excludes_within_trial(self) -> bool:
        return "within_trial" in self.exclude_from_result

    def to_dict(self) -> dict:
        data = asdict(self)
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items()} | {
            "report_columns": {k: list(v) for k, v in self.report_columns.items()}
        }


def _ascending(values):
    if list(values) != sorted(set(values)):
        raise ValidationError(Coded("settings.not_ascending", "Must be strictly ascending."))


def _at_least(count: int):
    """Brackets need `count` bounds (an age bracket lies between two); the message says how many."""

    def check(values):
        if len(values) < count:
            raise ValidationError(Coded("settings.too_few_bounds", f"Give at least {count} bounds.", count=count))

    return check


def _distinct(values):
    if len(values) != len(set(values)):
        raise ValidationError(Coded("settings.listed_twice", "A category is listed twice."))


def _step_count(bounds: tuple[int, int]):
    low, high = bounds

    def check(values):
        if not low <= len(values) <= high:
            raise ValidationError(Coded("settings.step_count", f"Give between {low} and {high} steps.",
                                        low=low, high=high))

    return check


def _step_label(value: str):
    if not value.strip():
        raise ValidationError(Coded("settings.step_label_empty", "A step needs a name."))
    if problem := text_problem(value):
        raise ValidationError(problem)


def _distinct_labels(values):
    folded = [v.strip().casefold() for v in values]
    twice = sorted({v.strip() for v, f in zip(values, folded, strict=True) if folded.count(f) > 1})
    if twice:
        raise ValidationError(Coded("settings.step_label_twice", f"Two steps are named alike: {', '.join(twice)}.",
                                    labels=", ".join(twice)))


def _step_labels(bounds: tuple[int, int]) -> fields.List:
    """Names of a scale's steps, lowest first: each given, unique, short; their number in bounds."""
    return fields.List(fields.String(validate=[validate.Length(max=STEP_LABEL_MAX), _step_label]),
                       validate=[_step_count(bounds), _distinct_labels])


def _category_names(categories) -> str:
    return ", ".join(EXIT_CATEGORIES.get(c, c) for c in categories)


class TeamSettingsSchema(InputSchema):
    """Every key may be left out; the defaults are those of DOMAIN.md §6.

    The rules across fields run even when a field is refused (they read only the fields that
    loaded), so that the page and the import name every fault at once.
    """

    trial_months = fields.Integer(validate=validate.Range(min=0, max=12))
    follow_up_interval_months = fields.Integer(validate=validate.Range(min=1, max=12))
    year_start_month = fields.Integer(validate=validate.OneOf([1, 7]))
    goal_categories = fields.List(
        fields.String(validate=validate.OneOf(list(EXIT_CATEGORIES))), validate=[_at_least(1), _distinct]
    )
    exclude_from_result = fields.List(fields.String(validate=validate.OneOf(list(RESULT_EXCLUSIONS))),
                                      validate=_distinct)
    age_brackets = fields.List(
        fields.Integer(validate=validate.Range(min=0, max=120)), validate=[_at_least(2), _ascending]
    )
    support_brackets_months = fields.List(
        fields.Integer(validate=validate.Range(min=0, max=600)), validate=[_at_least(1), _ascending]
    )
    report_columns = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=COLUMN_NAME_MAX)),
        values=fields.List(fields.String(validate=validate.OneOf(list(EXIT_CATEGORIES)))),
        validate=validate.Length(max=MAX_COLUMNS),
    )
    retention_years = fields.Integer(validate=validate.Range(min=1, max=50))
    queue_retention_months = fields.Integer(validate=validate.Range(min=1, max=120))
    queue_limit_months = fields.Integer(validate=validate.Range(min=1, max=24))
    nns_scale = _step_labels(NNS_SCALE_STEPS)
    process_steps = _step_labels(PROCESS_STEPS_RANGE)

    @validates_schema(skip_on_field_errors=False)
    def _goal_is_counted(self, data, **kwargs):
        """A goal category left out of the denominator would count people in mål who are not counted."""
        goals = data.get("goal_categories", TeamSettings.goal_categories)
        excluded = [c for c in goals if c in data.get("exclude_from_result", TeamSettings.exclude_from_result)]
        if excluded:
            raise ValidationError(Coded("settings.goal_excluded",
                                        f"A goal category cannot be excluded from the result: "
                                        f"{', '.join(excluded)}.", categories=_category_names(excluded)),
                                  "goal_categories")

    @validates_schema(skip_on_field_errors=False)
    def _columns_cover_each_category_once(self, data, **kwargs):
        columns = data.get("report_columns")
        if not columns:
            return
        problems = [*_empty_columns(columns), *_categories_in_two_columns(columns), *_categories_without_column(columns)]
        if problems:
            raise ValidationError(problems, "report_columns")

    @post_load
    def _to_settings(self, data, **kwargs) -> TeamSettings:
        tuples = {k: tuple(v) for k, v in data.items() if isinstance(v, list)}
        if "report_columns" in data:
            tuples["report_columns"] = {k: tuple(v) for k, v in data["report_columns"].items()}
        for key in ("nns_scale", "process_steps"):
            if key in tuples:
                tuples[key] = tuple(label.strip() for label in tuples[key])
        return TeamSettings(**(data | tuples))


def _empty_columns(columns: dict) -> list[Coded]:
    return [Coded("settings.column_empty", f"The column {name!r} holds no category.", column=name)
            for name, categories in columns.items() if not categories]


def _categories_in_two_columns(columns: dict) -> list[Coded]:
    counts = Counter(c for categories in columns.values() for c in set(categories))
    problems = []
    for category in (c for c in EXIT_CATEGORIES if counts[c] > 1):
        holding = ", ".join(name for name, categories in columns.items() if category in categories)
        problems.append(Coded("settings.category_in_two_columns",
                              f"{category} is in more than one column: {holding}.",
                              category=EXIT_CATEGORIES[category], columns=holding))
    return problems


def _categories_without_column(columns: dict) -> list[Coded]:
    mapped = {c for categories in columns.values() for c in categories}
    missing = [c for c in EXIT_CATEGORIES if c not in mapped]
    if not missing:
        return []
    return [Coded("settings.category_without_column",
                  f"Every exit category needs a column; these have none: {', '.join(missing)}.",
                  categories=_category_names(missing))]


def load_settings(raw: dict | None) -> TeamSettings:
    """Validate raw settings (from the exchange format, a form or the database)."""
    return TeamSettingsSchema().load(raw or {})
