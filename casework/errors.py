"""Domain errors raised by services; the web, the API and the CLI each translate them at the edge."""


class DomainError(Exception):
    """A rule of the domain refused the request. `field` names the input at fault, if any."""

    status = 400

    def __init__(self, message: str, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})


class ValidationFailed(DomainError):
    status = 422


class NotFound(DomainError):
    status = 404


class PermissionDenied(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class KeyUnavailable(DomainError):
    """A value cannot be decrypted: its key is destroyed (erasure) or not held. Fails closed."""

    status = 410


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
        flat.setdefault(prefix, []).append(str(messages))
    return flat
