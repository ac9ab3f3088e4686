"""One line of the exchange format (DOMAIN.md §6) to and from a JSON object.

Decoding only establishes that a line is a JSON object of a known record kind; what its fields
mean is checked by `parsing` and `checking`.
"""

import json

from casework.exchange.schemas import RECORD_KINDS


class BadLine(ValueError):
    """A line that is not a JSON object of a known kind; `field` and `message` say why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def decode_line(number: int, text: str | bytes) -> tuple[str, dict] | None:
    """The record kind and the JSON object of line `number`, or None for a blank line. Raises BadLine."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise BadLine("line", "Not UTF-8 text.") from None
    if number == 1:
        text = text.removeprefix("\ufeff")  # a byte order mark, as some editors write
    if not text.strip():
        return None
    try:
        raw = json.loads(text)
    except ValueError:
        raise BadLine("line", "Not valid JSON.") from None
    if not isinstance(raw, dict):
        raise BadLine("line", "Must be a JSON object.")
    kind = raw.get("record")
    if kind not in RECORD_KINDS:
        raise BadLine("record", f"Must be one of: {', '.join(RECORD_KINDS)}.")
    return kind, raw


def encode_line(record: dict) -> str:
    """One record as a line of text (no newline), non-ASCII letters as they are."""
    return json.dumps(record, ensure_ascii=False)
