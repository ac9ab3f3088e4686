"""The one rule of what a stored string may contain, and its use by the schemas and forms."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError, fields

from casework import text
from casework.schemas import InputSchema


@pytest.mark.parametrize("value, multiline, problem", [
    ("Anna Exempel", False, None),
    ("Åsa Öberg-Ängström, née ‘Ö’ 😀", False, None),
    ("two\nlines\tand a tab", True, None),
    ("two\nlines", False, text.LINE_BREAK),
    ("tab\there", False, text.LINE_BREAK),
    ("nul\x00", True, text.NUL),
    ("bell\x07", True, text.CONTROL),
    ("carriage\rreturn", True, text.CONTROL),
    ("delete\x7f", False, text.CONTROL),
    ("c1\x85", True, text.CONTROL),
    ("lone \udfff surrogate", True, text.SURROGATE),
    ("high \ud800", False, text.SURROGATE),
    ("evil\u202eexe.txt", True, text.BIDI),
    ("isolate\u2066x\u2069", False, text.BIDI),
])
def test_the_rule(value, multiline, problem):
    assert text.text_problem(value, multiline) == problem


@given(st.text())
def test_what_the_rule_accepts_can_be_encoded_and_has_no_control_or_bidi_character(value):
    if text.text_problem(value, multiline=True) is None:
        value.encode("utf-8")
        assert not any(ord(c) < 32 and c not in "\n\t" for c in value)
        assert not any(0x7F <= ord(c) <= 0x9F or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                       for c in value)


def test_crlf_becomes_lf():
    assert text.normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"


def test_identifiers():
    assert text.is_identifier("6f1c3a9e-2b7d-4c1e-9f3a-0d2b4c6e8a10") and text.is_identifier("K-12.a_b")
    assert not any(text.is_identifier(v) for v in ["", "a\x00", "a b", "a/b", "%00", "x" * 129, "å"])


class _Sample(InputSchema):
    multiline_fields = ("note",)

    name = fields.String()
    note = fields.String()
    answers = fields.Dict(keys=fields.String(), values=fields.Raw())
    count = fields.Integer()


def test_a_schema_names_the_field_and_the_key_inside_a_dict():
    with pytest.raises(ValidationError) as caught:
        _Sample().load({"name": "a\x00", "note": "ok\nok", "answers": {"q1": ["fine", "\udfff"]}, "count": "\u202e1"})
    assert caught.value.messages == {"name": [text.NUL], "answers": {"q1": {1: [text.SURROGATE]}},
                                     "count": [text.BIDI]}


def test_a_schema_allows_newlines_only_in_free_text_and_turns_crlf_into_lf():
    assert _Sample().load({"note": "a\r\nb"})["note"] == "a\nb"
    with pytest.raises(ValidationError) as caught:
        _Sample().load({"name": "a\nb"})
    assert caught.value.messages == {"name": [text.LINE_BREAK]}


def test_an_unreadable_field_name_is_refused_under_a_printable_name():
    with pytest.raises(ValidationError) as caught:
        _Sample().load({"na\udfffme": "x"})
    [(name, messages)] = caught.value.messages.items()
    assert name == "na\\udfffme" and "surrogate" in messages[0]


def test_many_at_once_is_refused_for_one_bad_item():
    """The importer then loads the batch line by line to name each bad line."""
    with pytest.raises(ValidationError, match="control"):
        _Sample().load([{"name": "ok"}, {"name": "\x01"}], many=True)


def test_cli_arguments_that_are_stored_are_checked(app, coach, participant):
    from casework.extensions import db

    db.session.commit()  # a refused command rolls back to here (the test's transaction undoes it all)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "token", coach.email, "--name", "laptop\u202e"])
    assert result.exit_code == 1 and "name: " + text.BIDI in result.output
    result = runner.invoke(args=["gdpr", "hold", participant.id, "--reason", "Tvist\x00"])
    assert result.exit_code == 1 and "reason: " + text.NUL in result.output
    result = runner.invoke(args=["users", "add", "x@example.org", "--role", "coach", "--name", "X\x1b[31m",
                                 "--password-stdin"], input="a long enough passphrase 81\n")
    assert result.exit_code == 1 and "name: " + text.CONTROL in result.output
