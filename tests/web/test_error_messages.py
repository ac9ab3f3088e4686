"""Error codes: every code raised in `casework` has one catalogue message, translated into English."""

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from casework.errors import Coded, DomainError, ValidationFailed, is_code
from casework.web.error_messages import MESSAGES
from casework.web.messages import MARSHMALLOW, translated

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "casework"
PO_FILE = PACKAGE / "translations" / "en" / "LC_MESSAGES" / "messages.po"
BASES = {"DomainError", "ValidationFailed", "NotFound", "PermissionDenied", "Conflict", "KeyUnavailable"}
NOT_PARAMS = {"field", "errors", "message"}


def _trees():
    return [(path.relative_to(ROOT), ast.parse(path.read_text(), str(path))) for path in PACKAGE.rglob("*.py")]


def _error_classes(trees) -> set[str]:
    """DomainError and every class deriving from it, found by name across the package."""
    names = set(BASES)
    classes = [node for _, tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    grown = True
    while grown:
        before = len(names)
        names |= {c.name for c in classes if any(getattr(b, "id", getattr(b, "attr", None)) in names for b in c.bases)}
        grown = len(names) > before
    return names


def _name(func) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        is_super = isinstance(func.value, ast.Call) and getattr(func.value.func, "id", None) == "super"
        return "super().__init__" if is_super and func.attr == "__init__" else func.attr
    return None


def _sites():
    """(where, code, keyword names) of each construction with a code; and the ones without."""
    trees = _trees()
    errors = _error_classes(trees)
    sites, uncoded = [], []
    for path, tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name, first, where = _name(node.func), node.args[0], f"{path}:{node.lineno}"
            keywords = {k.arg for k in node.keywords} - NOT_PARAMS
            literal = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            if name in errors | {"Coded", "super().__init__"} and is_code(literal):
                sites.append((where, literal, keywords))
            elif name in errors | {"Coded", "ValidationError"} and (
                    literal is not None or isinstance(first, ast.JoinedStr)):
                uncoded.append(where)
    return sites, uncoded


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


def test_every_error_raised_in_the_package_carries_a_code():
    sites, uncoded = _sites()
    assert uncoded == [], "raise DomainError subclasses with a code, and marshmallow errors with Coded(...)"
    assert len(sites) > 100


def test_every_code_has_a_catalogue_message_with_the_placeholders_it_is_given():
    sites, _ = _sites()
    assert sorted({code for _, code, _ in sites} - set(MESSAGES)) == []
    assert {code for _, code in MARSHMALLOW} <= set(MESSAGES)
    wanting = [(where, code) for where, code, keywords in sites
               if not _placeholders(MESSAGES[code]._args[0]) <= keywords]
    assert wanting == []


def test_every_catalogue_message_is_used_and_translated_into_english():
    sites, _ = _sites()
    used = {code for _, code, _ in sites} | {code for _, code in MARSHMALLOW}
    assert sorted(set(MESSAGES) - used) == []
    with open(PO_FILE, "rb") as handle:
        catalogue = read_po(handle, locale="en")
    missing = []
    for code, lazy in MESSAGES.items():
        entry = catalogue.get(lazy._args[0])
        if entry is None or not entry.string or entry.fuzzy or _placeholders(entry.string) != _placeholders(entry.id):
            missing.append(code)
    assert missing == []


def test_a_page_shows_the_message_for_the_code_in_the_users_language(app):
    nested = Coded("event.breaks_later_step", "This would break a later step: The date is in the future.",
                   problem=Coded("date.in_future", "The date is in the future."))
    with app.test_request_context():
        assert translated(nested) == "Det skulle göra ett senare steg ogiltigt: Datumet ligger i framtiden."
        assert translated(Coded("follow_up.note_too_long", "...", max=500)) == "Anteckningen får ha högst 500 tecken."
        assert translated("Missing data for required field.") == "Obligatoriskt fält."
        assert translated("Something a service said.") == "Something a service said."
        with force_locale("en"):
            assert translated(nested) == "This would make a later step invalid: The date is in the future."


def test_an_error_without_a_code_keeps_its_message_and_field():
    exc = ValidationFailed("The old way.", "name")
    assert (exc.code, exc.message, exc.field, exc.errors) == ("validation_failed", "The old way.", "name",
                                                              {"name": ["The old way."]})
    coded = ValidationFailed("date.in_future", "The date is in the future.", "date")
    assert (coded.code, coded.field, coded.errors["date"][0].code) == ("date.in_future", "date", "date.in_future")


@pytest.mark.parametrize("message", [Coded("date.in_future", "The date is in the future."), "Plain text."])
def test_from_message_keeps_the_code_of_a_coded_message(message):
    exc = DomainError.from_message(message, "date")
    assert exc.code == getattr(message, "code", "error") and exc.message == message and exc.field == "date"
