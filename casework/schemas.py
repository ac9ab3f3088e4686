"""The base of every input schema: strings are checked by `casework.text` before loading.

The check runs on the raw input, so it covers every string whatever its field: names, dict
keys, the values of `Dict` and `Raw` fields (survey answers) and the strings of fields that
would refuse them anyway. A nested schema that is itself an `InputSchema` checks its own part.
Fields named in `multiline_fields` are free text: newlines and tabs are allowed there (CR LF
becomes LF); everywhere else a string is a single line. Fields named in `payload_fields` are
left to the schema that loads them afterwards (an event's `data`, by its type's payload schema),
which alone knows which of their strings are free text.
"""

from marshmallow import Schema, ValidationError, fields, pre_load

from casework.text import normalise_newlines, printable_name, text_problem


class InputSchema(Schema):
    multiline_fields: tuple[str, ...] = ()
    payload_fields: tuple[str, ...] = ()

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
