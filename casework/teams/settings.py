"""Team settings (DOMAIN.md §6): validated by a marshmallow schema, read as a frozen dataclass."""

from dataclasses import asdict, dataclass, field

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from casework.errors import Coded
from casework.schemas import InputSchema
from casework.vocab import EXIT_CATEGORIES

DEFAULT_SUPPORT_BRACKETS_MONTHS = (12, 24, 36, 48, 60, 72, 96, 108)
RESULT_EXCLUSIONS = {**{c: c for c in EXIT_CATEGORIES}, "within_trial": "within_trial"}


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


class TeamSettingsSchema(InputSchema):
    """Every key may be left out; the defaults are those of DOMAIN.md §6."""

    trial_months = fields.Integer(validate=validate.Range(min=0, max=12))
    follow_up_interval_months = fields.Integer(validate=validate.Range(min=1, max=12))
    year_start_month = fields.Integer(validate=validate.OneOf([1, 7]))
    goal_categories = fields.List(
        fields.String(validate=validate.OneOf(list(EXIT_CATEGORIES))), validate=validate.Length(min=1)
    )
    exclude_from_result = fields.List(fields.String(validate=validate.OneOf(list(RESULT_EXCLUSIONS))))
    age_brackets = fields.List(
        fields.Integer(validate=validate.Range(min=0, max=120)), validate=[validate.Length(min=2), _ascending]
    )
    support_brackets_months = fields.List(
        fields.Integer(validate=validate.Range(min=0, max=600)), validate=[validate.Length(min=1), _ascending]
    )
    report_columns = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=60)),
        values=fields.List(fields.String(validate=validate.OneOf(list(EXIT_CATEGORIES)))),
    )
    retention_years = fields.Integer(validate=validate.Range(min=1, max=50))
    queue_retention_months = fields.Integer(validate=validate.Range(min=1, max=120))

    @validates_schema
    def _columns_cover_each_category_once(self, data, **kwargs):
        columns = data.get("report_columns")
        if not columns:
            return
        mapped = [c for cats in columns.values() for c in cats]
        if sorted(mapped) != sorted(set(mapped)) or set(mapped) != set(EXIT_CATEGORIES):
            raise ValidationError(Coded("settings.exit_columns",
                                        "Every exit category must be in exactly one column."), "report_columns")

    @post_load
    def _to_settings(self, data, **kwargs) -> TeamSettings:
        tuples = {k: tuple(v) for k, v in data.items() if isinstance(v, list)}
        if "report_columns" in data:
            tuples["report_columns"] = {k: tuple(v) for k, v in data["report_columns"].items()}
        return TeamSettings(**(data | tuples))


def load_settings(raw: dict | None) -> TeamSettings:
    """Validate raw settings (from the exchange format, a form or the database)."""
    return TeamSettingsSchema().load(raw or {})
