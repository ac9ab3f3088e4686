"""The fast path of an import's event lines (`fastload`) returns what the schema returns, or nothing."""

from hypothesis import example, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from casework.exchange.fastload import compile_loader
from casework.exchange.schemas import EventLine, ParticipantLine, TeamLine

SCHEMA = EventLine()
FAST = compile_loader(SCHEMA)

# Strings near the rules' edges: identifiers, slugs, over-long text, control and bidi characters,
# line breaks (allowed only in the note, CR LF normalised), lone surrogates.
texts = st.one_of(
    st.from_regex(r"\A[A-Za-z0-9_.\-]{0,66}\Z"),
    st.from_regex(r"\A[a-z0-9-]{0,82}\Z"),
    st.sampled_from(["event", "team", "", "E1", "2024-01-05", "-slug", "a\r\nb", "a\rb", "a\tb", "x\x00",
                     "\u202e", "\ud800", "x" * 61, "x" * 20001, "ok\nline"]),
    st.text(max_size=40),
)
values = st.one_of(texts, st.none(), st.integers(), st.booleans(), st.floats(allow_nan=False),
                   st.dictionaries(st.text(max_size=5), st.integers(), max_size=2), st.lists(st.integers(), max_size=2))
KEYS = ["record", "id", "ref", "team", "type", "date", "data", "note"]
lines = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), values, max_size=10)
valid_lines = st.fixed_dictionaries(
    {"record": st.just("event"), "id": st.from_regex(r"\A[A-Za-z0-9_.\-]{1,64}\Z"),
     "ref": st.from_regex(r"\A[A-Za-z0-9_.\-]{1,64}\Z"), "type": st.sampled_from(["activity", "enrolled"]),
     "date": st.dates().map(str)},
    optional={"team": st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,79}\Z"), "data": st.dictionaries(st.text(max_size=5),
              st.integers(), max_size=2), "note": st.one_of(st.none(), st.text(alphabet="abc åäö\n\r", max_size=50))})


def schema_load(raw: dict):
    try:
        return SCHEMA.load(raw)
    except ValidationError:
        return "refused"


@settings(max_examples=600, deadline=None)
@given(st.one_of(lines, valid_lines, valid_lines.flatmap(  # a valid line with one value made anything
    lambda line: st.sampled_from([*KEYS, "extra"]).flatmap(lambda key: values.map(lambda v: {**line, key: v})))))
@example({"record": "event", "id": "E1", "ref": "P1", "type": "activity", "date": "2024-01-05", "note": "a\r\nb"})
@example({"record": "event", "id": "E1", "ref": "P1", "type": "activity", "date": "2024-01-05", "note": None})
@example({"record": "event", "id": "E1", "ref": "P1", "type": "activity", "date": "2024-01-05", "note": "\u202e"})
@example({"record": "event", "id": "E1", "ref": "P1", "type": "activity", "date": "2024-01-05", "team": ""})
def test_what_the_fast_path_accepts_the_schema_loads_the_same(raw):
    fast = FAST(raw)
    if fast is not None:
        assert schema_load(raw) == fast


@settings(max_examples=300, deadline=None)
@given(valid_lines)
def test_the_fast_path_takes_the_lines_the_schema_accepts(raw):
    """Not merely safe but taken: a valid line of the usual shape never goes to marshmallow."""
    assert FAST(raw) is not None
    assert FAST(raw) == SCHEMA.load(raw)


def test_a_bad_line_is_left_to_the_schema_for_its_message():
    raw = {"record": "event", "id": "E 1", "ref": "P1", "type": "activity", "date": "2024-01-05"}
    assert FAST(raw) is None
    assert FAST({**raw, "id": "E1", "colour": "blue"}) is None
    assert FAST({**raw, "id": "E1", "note": "rad\u202e"}) is None
    assert FAST({k: v for k, v in raw.items() if k != "ref"}) is None


def test_schemas_with_rules_it_cannot_follow_get_no_fast_path():
    assert compile_loader(ParticipantLine()) is None  # nested personal data, schema-level checks
    assert compile_loader(TeamLine()) is None  # a dict whose keys are checked
