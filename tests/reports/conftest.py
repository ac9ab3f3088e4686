"""The worked example (DOMAIN.md §5): its log is the demo data shipped with the package; the
figures it must give are read from `../shared/examples`, and the tests that compare with them
are skipped when that folder is not beside the checkout."""

import json
from pathlib import Path

import pytest

from casework.exchange.demo import DEFAULT_EXAMPLE
from casework.exchange.service import import_lines
from casework.teams.service import get_team

EXAMPLES = (Path(__file__).resolve().parents[2] / ".." / "shared" / "examples").resolve()
EXPECTED = EXAMPLES / "kraften-hedemora-2020-21.expected.json"


@pytest.fixture
def kraften_example():
    if not EXPECTED.is_file():
        pytest.skip(f"the worked example's figures ({EXPECTED}) are not beside the checkout")
    with DEFAULT_EXAMPLE.open(encoding="utf-8") as lines:
        import_lines(lines)
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return get_team(expected["team"]), expected


@pytest.fixture
def kraften_example_lines():
    return DEFAULT_EXAMPLE.read_text(encoding="utf-8").splitlines()
