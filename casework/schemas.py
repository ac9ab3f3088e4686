"""The base of every input schema: strings are checked by `casework.text` before loading.

The check runs on the raw input, so it covers every string whatever its field: names, dict
keys, the values of `Dict` and `Raw` fields (survey answers) and the strings of fields that
would refuse them anyway. A nested schema that is itself an `InputSchema` checks its own part.
Fields named in `multiline_fields` are free text: newlines and tabs are allowed there (CR LF
becomes LF); everywhere else a string is a single line. Fields named in `payload_fields` are
left to the schema that loads them afterwards (an event's `data`, by its type's payload schema),
which alone knows which of their strings are free text.

A schema whose rules tie fields together (an event's `data` depends on its `type`; a booking is
either moved or closed) states them to the OpenAPI document through `openapi_variants`: the
document then shows one alternative per case (`oneOf`), each made of the schema's own fields by
`variant`, so the document and the validation share one definition of every field.
"""

import datetime as dt
import math

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from casework.errors import Coded
from casework.text import normalise_newlines, printable_name, text_problem


class InputSchema(Schema):
    multiline_fields: tuple[str, ...] = ()
    payload_fields: tuple[str, ...] = ()
    # The property whose value tells the variants apart (an OpenAPI discriminator), if any.
    openapi_discriminator: str | None = None

    @classmethod
    def openapi_variants(cls) -> dict[str, type[Schema]] | None:
        """The alternatives this schema accepts, for the document only (None: the schema as it is).

        Keys are the discriminator's values when `openapi_discriminator` is set, else names."""
        return None

    @pre_load
    def _refuse_unreadable_text(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        by_key = {field.data_key or name: field for name, field in self.load_fields.items()}
        errors: dict = {}
        cleaned = {}
        for key, value in data.items():
            if isinstance(key, str) and text_problem(key):
                errors[printable_name(key)] = [f"Invalid field name: {text_problem(key)}"]
                continue
            multiline = key in self.multiline_fields
            if multiline and isinstance(value, str):
                value = normalise_newlines(value)
            cleaned[key] = value
            if key in self.payload_fields or _checks_itself(by_key.get(key), value):
                continue
            problems = _problems(value, multiline)
            if problems:
                errors[key] = problems
        if errors:
            raise ValidationError(errors)
        return cleaned


def _checks_itself(field, value) -> bool:
    return isinstance(field, fields.Nested) and isinstance(field.schema, InputSchema) and isinstance(value, dict)


def _problems(value, multiline: bool):
    """The messages for `value` ([...] for a string, {key: ...} inside a dict or list), or None."""
    if isinstance(value, str):
        problem = text_problem(value, multiline)
        return [problem] if problem else None
    if isinstance(value, dict):
        found = {}
        for key, inner in value.items():
            if isinstance(key, str) and text_problem(key):
                found[printable_name(key)] = [f"Invalid key: {text_problem(key)}"]
            elif inner_problems := _problems(inner, multiline):
                found[key] = inner_problems
        return found or None
    if isinstance(value, list | tuple):
        found = {index: p for index, item in enumerate(value) if (p := _problems(item, multiline))}
        return found or None
    return None


class UtcDateTime(fields.DateTime):
    """A moment as RFC 3339 with its offset. SQLite returns timestamps without a zone; they are UTC
    (`casework.db.timestamp_column`), and an answer without the offset is not an OpenAPI date-time."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def variant(name: str, base: type[Schema], /, *, without: tuple[str, ...] = (), **fields_: fields.Field) -> type[Schema]:
    """A schema for the document made of `base`'s declared fields, less `without`, with `fields_`
    replacing or adding fields (e.g. the same field with fewer allowed values, or now required)."""
    declared = {k: v for k, v in base._declared_fields.items() if k not in without}
    attrs = {**declared, **fields_, "multiline_fields": getattr(base, "multiline_fields", ()),
             "openapi_variants": classmethod(lambda cls: None), "__module__": base.__module__}
    parent = InputSchema if issubclass(base, InputSchema) else Schema
    return type(name, (parent,), attrs)


CLOCK_TIME = r"^([01]\d|2[0-3]):[0-5]\d$"


class HourMinute(fields.Time):
    """A time of day as HH:MM, with the format stated in the document."""

    openapi_properties = {"pattern": CLOCK_TIME, "maxLength": 5}

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class StrictBoolean(fields.Boolean):
    """`true` or `false` only. marshmallow's Boolean also takes 1, "yes" or "on", which the
    document's `boolean` does not allow (and `1 in {True}` holds in Python, hence the type test)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class WholeNumber(fields.Integer):
    """An integer, as the document's `integer` says: marshmallow's Integer would also take `true`
    and truncate a number with a fraction (2.5 or 1e-42). A form's digits ("1980") still load."""

    def _validated(self, value):
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class NumberOrNull(fields.Raw):
    """A finite JSON number (an integer stays an integer), or null when the field allows none."""

    openapi_properties = {"type": "number"}
    default_error_messages = {"invalid": "Not a valid number."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.make_error("invalid")
        return value


class PositiveUpTo(validate.Range):
    """Above zero and at most `maximum` (hours); stated to the document as an exclusive minimum,
    which apispec's own range conversion leaves out."""

    def __init__(self, maximum: float):
        super().__init__(min=0, min_inclusive=False, max=maximum)
        self.openapi_properties = {"minimum": 0, "exclusiveMinimum": True, "maximum": maximum}


class Unique(validate.Validator):
    """Each item of a list at most once (`uniqueItems` in the document)."""

    openapi_properties = {"uniqueItems": True}
    error = Coded("value.duplicate", "Each value may appear only once.")

    def __call__(self, values):
        if len(values) != len(set(values)):
            raise ValidationError(self.error)
        return values


FIRST_BIRTH_YEAR = 1900
YOUNGEST_AGE = 14


class BirthYear(validate.Range):
    """From 1900 to the year a 14-year-old was born; the upper end moves with today's date, and the
    OpenAPI document (which reads `min` and `max`) states the range of the day it was made."""

    def __init__(self):
        super().__init__(min=FIRST_BIRTH_YEAR, max=None,
                         error=Coded("participant.birth_year_implausible", "Not a plausible birth year."))

    @property
    def max(self):
        return dt.date.today().year - YOUNGEST_AGE

    @max.setter
    def max(self, value):
        """Range.__init__ sets it; the property computes it instead."""

    def _format_error(self, value, message):
        return self.error
