"""A fast path for loading the common lines of an import, made from their marshmallow schemas.

marshmallow stays the one definition of what a line may hold: `compile_loader` reads a schema's
declared fields (their types, `required`, `allow_none`, `load_default` and validators) and builds
a plain function that loads a line the way the schema would, or returns None whenever it is not
sure the schema would accept it (a bad value, an unknown key, a kind of field or validator it does
not know). The caller then loads that line with the schema itself, which gives the result and the
messages. So the fast path only ever says "yes, and this is what the schema would have returned";
a property test holds it to that (tests/exchange/test_fastload.py).

A schema this cannot follow (schema-level validators, post-load steps, nested schemas, fields
other than strings and plain dicts) gets no fast path: `compile_loader` returns None.
"""

import re
from collections.abc import Callable
from typing import Any

from marshmallow import RAISE, Schema, fields, missing, validate

from casework.schemas import InputSchema
from casework.text import normalise_newlines, text_problem

Loader = Callable[[dict], dict | None]
_NOT_SURE = object()
# The hooks of InputSchema itself, which the fast path does itself (readable text, newlines).
_KNOWN_HOOKS = {("pre_load", "_refuse_unreadable_text")}


def compile_loader(schema: Schema) -> Loader | None:
    """A function that loads a dict as `schema.load` would, or returns None; None if it cannot."""
    if not isinstance(schema, InputSchema) or schema.unknown != RAISE or schema.many:
        return None
    hooks = {(kind, name) for kind, entries in schema._hooks.items() for name, *_ in entries}
    if not hooks <= _KNOWN_HOOKS:
        return None
    steps = {}
    for name, field in schema.load_fields.items():
        check = _field_check(field, multiline=name in schema.multiline_fields, payload=name in schema.payload_fields)
        if check is None:
            return None
        steps[field.data_key or name] = (name, field, check)
    required = [key for key, (_, field, _) in steps.items() if field.required]
    defaults = [(key, name, field.load_default) for key, (name, field, _) in steps.items()
                if not field.required and field.load_default is not missing]

    def load(raw: dict) -> dict | None:
        loaded = {}
        for key, value in raw.items():
            step = steps.get(key)
            if step is None:
                return None  # an unknown field (or an unreadable name): the schema says which
            value = step[2](value)
            if value is _NOT_SURE:
                return None
            loaded[step[0]] = value
        for key in required:
            if key not in raw:
                return None
        for key, name, default in defaults:
            if key not in raw:
                loaded[name] = default() if callable(default) else default
        return loaded

    return load


def _field_check(field: fields.Field, *, multiline: bool, payload: bool) -> Callable[[Any], Any] | None:
    """The check of one field's value: the loaded value, or _NOT_SURE; None for a field it cannot follow."""
    if type(field) is fields.String:
        accepts = _validators(field.validators)
        if accepts is None:
            return None
        allow_none = field.allow_none

        def string(value):
            if value is None:
                return None if allow_none else _NOT_SURE
            if type(value) is not str:
                return _NOT_SURE
            if multiline:
                value = normalise_newlines(value)
            if text_problem(value, multiline) is not None or not accepts(value):
                return _NOT_SURE
            return value

        return string
    if type(field) is fields.Dict and field.key_field is None and field.value_field is None \
            and not field.validators and not field.allow_none and payload:
        return lambda value: dict(value) if type(value) is dict else _NOT_SURE
    return None


def _validators(validators) -> Callable[[str], bool] | None:
    """One predicate for a string field's validators, or None if one of them is unknown."""
    tests = []
    for validator in validators:
        kind = type(validator)
        if kind is validate.Length:
            low, high, equal = validator.min, validator.max, validator.equal
            tests.append(_length(low, high, equal))
        elif kind is validate.Regexp:
            tests.append(_regexp(validator.regex))
        elif kind is validate.Equal:
            tests.append(validator.comparable.__eq__)
        elif kind is validate.OneOf:
            tests.append(frozenset(validator.choices).__contains__)
        else:
            return None
    return lambda value: all(test(value) is True for test in tests)


def _length(low: int | None, high: int | None, equal: int | None) -> Callable[[str], bool]:
    if equal is not None:
        return lambda value: len(value) == equal
    return lambda value: (low is None or len(value) >= low) and (high is None or len(value) <= high)


def _regexp(regex: re.Pattern) -> Callable[[str], bool]:
    return lambda value: regex.match(value) is not None
