"""Domain errors raised by services; the web, the API and the CLI each translate them at the edge.

Every error carries a stable dotted `code` (`event.requires_enrolment`); the web shows the message
the catalogue (`casework.web.error_messages`) holds for the code in the user's language, the API
returns the code as `"error"`, and the English `message` is for the API, the CLI and tests.
"""

import re

CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\Z")


def is_code(text) -> bool:
    return isinstance(text, str) and bool(CODE.match(text))


class Coded(str):
    """One English message that also carries its code and parameters (a `str`, so JSON, marshmallow
    and the CLI treat it as the text). Used inside `errors` dicts and marshmallow ValidationErrors."""

    code: str
    params: dict

    def __new__(cls, code: str, message: str, **params):
        text = super().__new__(cls, message)
        text.code = code
        text.params = params
        return text


class DomainError(Exception):
    """A rule of the domain refused the request. `field` names the input at fault, if any.

    `DomainError(code, message, field, errors=..., **params)`; `params` fill the catalogue's
    `%(name)s` placeholders. The old `DomainError(message, field)` (no code) still works: its
    code is the class's `default_code` and the web shows the English message as it is.
    """

    status = 400
    default_code = "error"

    def __init__(self, code: str, message: str | None = None, field: str | None = None,
                 errors: dict | None = None, **params):
        if isinstance(code, Coded):
            code, message, field, params = code.code, str(code), message if field is None else field, {**code.params, **params}
        elif not is_code(code):
            code, message, field = self.default_code, code, message if field is None else field
        message = message or code
        super().__init__(message)
        self.code = code
        self.params = params
        self.message = Coded(code, message, **params)
        self.field = field
        self.errors = errors or ({field: [self.message]} if field else {})

    @classmethod
    def from_message(cls, message: str, field: str | None = None):
        """The error for one message that may be `Coded` (a rule's problem, a schema's message)."""
        if isinstance(message, Coded):
            return cls(message.code, str(message), field, **message.params)
        return cls(message, field)


class ValidationFailed(DomainError):
    status = 422
    default_code = "validation_failed"


class NeedsConfirmation(ValidationFailed):
    """Only warnings stand in the way: the same request with the user's confirmation is accepted
    (the API's `confirm_warnings`, a page's confirm box). `errors` holds every warning by field."""

    @classmethod
    def of(cls, warnings: dict[str, str], prefix: str = "") -> "NeedsConfirmation":
        first = next(iter(warnings.values()))
        return cls(first.code, str(first), errors={f"{prefix}{name}": [w] for name, w in warnings.items()})


class NotFound(DomainError):
    status = 404
    default_code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    default_code = "permission_denied"


class Conflict(DomainError):
    status = 409
    default_code = "conflict"


class KeyUnavailable(DomainError):
    """A value cannot be decrypted: its key is destroyed (erasure) or not held. Fails closed."""

    status = 410
    default_code = "key_unavailable"


def flatten_messages(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested error messages as {"dotted.path": [messages]}, in the order given.

    {"data": {"category": ["..."]}} -> {"data.category": ["..."]}; list indexes become path parts
    ({"items": {0: [...]}} -> "items.0"). Lists of messages are joined under their path; a bare
    message at the top has the path `prefix` (empty unless given). Each edge (API, forms, the
    importer) maps these paths onto its own field names.
    """
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            for sub, texts in flatten_messages(value, path).items():
                flat.setdefault(sub, []).extend(texts)
    elif isinstance(messages, list | tuple):
        for item in messages:
            for sub, texts in flatten_messages(item, prefix).items():
                flat.setdefault(sub, []).extend(texts)
    else:
        flat.setdefault(prefix, []).append(messages if isinstance(messages, str) else str(messages))
    return flat
