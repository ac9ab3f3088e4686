"""Domain errors shown on the pages: the catalogue's text for each error code, on the field at fault.

Services raise errors with a code (`casework.errors.Coded` messages inside `errors` carry theirs);
the page shows `error_messages.MESSAGES[code]` in the user's language. Messages that come from
marshmallow's own validators have no code: `MARSHMALLOW` gives them one by marshmallow's wording.
A message with neither is shown as the service wrote it.
"""

from casework.errors import Coded, DomainError, flatten_messages
from casework.web.error_messages import MESSAGES

# marshmallow's default messages (their start) -> our code. Checked in order; the first match wins.
MARSHMALLOW = (
    ("Missing data for required field", "field.required"),
    ("Field may not be null", "field.required"),
    ("Not a valid date", "date.invalid"),
    ("Not a valid time", "time.invalid"),
    ("Not a valid integer", "number.invalid"),
    ("Not a valid number", "number.invalid"),
    ("Not a valid email", "email.invalid"),
    ("Must be one of", "choice.invalid"),
    ("Not a valid choice", "choice.invalid"),
    ("Shorter than minimum length 1.", "choice.none"),
    ("Shorter than minimum length", "length.invalid"),
    ("Length must be between", "length.invalid"),
    ("Longer than maximum length", "length.invalid"),
    ("Must be greater than or equal to", "range.invalid"),
    ("Must be less than or equal to", "range.invalid"),
    ("String does not match expected pattern", "format.invalid"),
    ("Not a valid boolean", "boolean.invalid"),
    ("Unknown field", "field.unknown"),
)


def code_of(message) -> str | None:
    if not isinstance(message, str):
        return None
    if isinstance(message, Coded):
        return message.code
    return next((code for start, code in MARSHMALLOW if message.startswith(start)), None)


def translated(message: str) -> str:
    """The user's-language text for one message (a `Coded` one, or one of marshmallow's)."""
    entry = MESSAGES.get(code_of(message))
    if entry is None:
        return str(message)
    params = {name: translated(value) if isinstance(value, str) else value
              for name, value in getattr(message, "params", {}).items()}
    try:
        return str(entry) % params if params else str(entry)
    except (KeyError, TypeError, ValueError):
        return str(message)


def error_text(exc: DomainError) -> str:
    """The text a page shows for a refusal as a whole."""
    return translated(exc.message)


def apply_domain_error(form, exc: DomainError, field_for: dict[str, str] | None = None,
                       message_for: dict[str, str] | None = None) -> None:
    """Attach a service's error to the form's fields; what fits no field goes to `form.form_errors`.

    `field_for` maps an error path (e.g. "data.referrer_org" or "personal.name") to a form field
    name; a path that is itself a field name needs no entry. Numeric path parts (list items) are
    ignored. `message_for` replaces every message of a path with one text (any fault of a
    personnummer reads "Ogiltigt personnummer.").
    """
    field_for = field_for or {}
    errors = flatten_messages(exc.errors) if exc.errors else {exc.field or "": [exc.message]}
    for path, messages in errors.items():
        path = ".".join(part for part in path.split(".") if not part.isdigit())
        name = field_for.get(path) or _last_matching(form, path, field_for)
        texts = [str(message_for[path])] if path in (message_for or {}) else [translated(m) for m in messages]
        field = form._fields.get(name) if name else None
        if field is None:
            form.form_errors.extend(texts)
        else:
            field.errors = [*list(field.errors or []), *texts]


def attach_plainly(form, exc: DomainError) -> None:
    """A refusal on the field it names (top-level names only), else above the form; translated."""
    for field, messages in (exc.errors or {None: [exc.message]}).items():
        messages = messages if isinstance(messages, list) else [messages]
        texts = [translated(m) if isinstance(m, str) else str(m) for m in messages]
        target = form._fields.get(field) if field else None
        if target is not None:
            target.errors = [*list(target.errors or []), *texts]
        else:
            form.form_errors.extend(texts)


def _last_matching(form, path: str, field_for: dict[str, str]) -> str | None:
    """The field for a path: the path itself, or the longest known prefix, or its last part."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in field_for:
            return field_for[candidate]
        if candidate in form._fields:
            return candidate
    return parts[-1] if parts[-1] in form._fields else None
