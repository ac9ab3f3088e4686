import pytest

from casework.errors import flatten_messages


@pytest.mark.parametrize("messages, prefix, flat", [
    ({"data": {"category": ["Must be one of: work."]}}, "", {"data.category": ["Must be one of: work."]}),
    ({"consents": {0: ["Not a scope."], 2: ["Not a scope."]}}, "data",
     {"data.consents.0": ["Not a scope."], "data.consents.2": ["Not a scope."]}),
    ({"_schema": ["Give either answers or a score."], "score": "Not a number."}, "",
     {"_schema": ["Give either answers or a score."], "score": ["Not a number."]}),
    ({"note": ["Too long.", ["Not text."]]}, "", {"note": ["Too long.", "Not text."]}),
    (["Invalid input type."], "settings", {"settings": ["Invalid input type."]}),
    ({}, "", {}),
])
def test_nested_messages_become_dotted_paths_in_order(messages, prefix, flat):
    result = flatten_messages(messages, prefix)
    assert result == flat and list(result) == list(flat)
