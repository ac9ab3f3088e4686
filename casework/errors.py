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
