"""Loading the shared worked example into the test database through the exchange importer."""

import json
from pathlib import Path

import pytest

from casework.exchange.service import import_lines
from casework.teams.service import get_team

EXAMPLES = (Path(__file__).resolve().parents[2] / ".." / "shared" / "examples").resolve()


@pytest.fixture
def kraften_example():
    path = EXAMPLES / "kraften-hedemora-2020-21.jsonl"
    with path.open(encoding="utf-8") as lines:
        import_lines(lines)
    expected = json.loads((EXAMPLES / "kraften-hedemora-2020-21.expected.json").read_text(encoding="utf-8"))
    return get_team(expected["team"]), expected


@pytest.fixture
def kraften_example_lines():
    return (EXAMPLES / "kraften-hedemora-2020-21.jsonl").read_text(encoding="utf-8").splitlines()
