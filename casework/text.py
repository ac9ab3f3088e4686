"""What a stored string may contain: the one rule behind every way in (schemas, forms, CLI).

A string that is stored must be readable wherever it is shown or exported later: no NUL (which
PostgreSQL refuses), no other C0/C1 control characters (tab and newline only in multi-line free
text such as notes), no lone surrogates (which cannot be encoded as UTF-8, so a page, a JSON
answer or an export that includes the value fails for good), and no bidirectional override or
isolate characters (which make a text display as something other than what it is).
"""

import re

from casework.errors import Coded

# A carriage return is refused like any control character; `normalise_newlines` turns the
# CR LF of a browser's text area into LF before the check.
_SURROGATES = (0xD800, 0xDFFF)
_REFUSED_RANGES = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x202A, 0x202E), (0x2066, 0x2069), _SURROGATES)
_LINE_BREAKS = ((0x09, 0x0A),)
_ALWAYS_REFUSED = "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in _REFUSED_RANGES)
_SINGLE_LINE = re.compile(f"[{_ALWAYS_REFUSED}\\t\\n]")
_MULTI_LINE = re.compile(f"[{_ALWAYS_REFUSED}]")

NUL = Coded("text.nul", "Contains a NUL character.")
CONTROL = Coded("text.control", "Contains a control character.")
LINE_BREAK = Coded("text.line_break", "Must be a single line (no line break or tab).")
SURROGATE = Coded("text.surrogate", "Contains an invalid character (a lone surrogate).")
BIDI = Coded("text.bidi", "Contains a bidirectional override or isolate character.")

# A path part or query value that names a record (an id, a ref, a slug, a token, a format).
IDENTIFIER = re.compile(r"^[A-Za-z0-9_.\-]{1,128}$")


def text_problem(value: str, multiline: bool = False) -> str | None:
    """The reason `value` may not be stored (one of the messages above), or None if it may."""
    match = (_MULTI_LINE if multiline else _SINGLE_LINE).search(value)
    if match is None:
        return None
    char = match.group()
    code = ord(char)
    if code == 0:
        return NUL
    if char in "\t\n":
        return LINE_BREAK
    if 0xD800 <= code <= 0xDFFF:
        return SURROGATE
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return BIDI
    return CONTROL


def json_schema_pattern(multiline: bool = False) -> str:
    """The rule as a JSON Schema `pattern` (ECMA-262), so the OpenAPI document states it too.

    Lone surrogates are left out: a JSON Schema string is Unicode text, which cannot hold one (and
    regular-expression engines refuse them in a pattern)."""
    ranges = [r for r in _REFUSED_RANGES if r != _SURROGATES] + ([] if multiline else list(_LINE_BREAKS))
    return "^[^" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges) + "]*$"


def shown(value: str, multiline: bool = False) -> str:
    """`value` with each refused character replaced by U+FFFD, to show a refused input back."""
    return (_MULTI_LINE if multiline else _SINGLE_LINE).sub("\ufffd", value)


def normalise_newlines(value: str) -> str:
    """CR LF and a lone CR become LF, as HTML does for a text area's value."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def printable_name(name: str) -> str:
    """A field name that is itself unreadable, in a form that can be shown (escaped)."""
    return name if text_problem(name) is None else name.encode("ascii", "backslashreplace").decode()


def is_identifier(value: str) -> bool:
    return bool(IDENTIFIER.match(value))


# OWASP "CSV injection": a spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """A value as a CSV or XLSX cell: a text that a spreadsheet would read as a formula gets a
    leading apostrophe (shown as text, never run); numbers, dates and None stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
