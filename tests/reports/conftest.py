"""Loading the shared worked example into the test database through the services."""

import json
from pathlib import Path

import pytest

from casework.events.service import append_event, correct_event
from casework.participants.service import register_participant
from casework.teams.service import save_team

EXAMPLES = (Path(__file__).resolve().parents[2] / ".." / "shared" / "examples").resolve()


def load_exchange_lines(lines) -> dict:
    """Team, participants and events of exchange-format lines, in file order; returns the teams by slug."""
    teams, participants = {}, {}
    for line in lines:
        record = json.loads(line)
        kind = record.pop("record")
        if kind == "team":
            teams[record["slug"]] = save_team(record["slug"], record["name"], record["federation"],
                                              record.get("settings"))
        elif kind == "participant":
            team = teams[record.pop("team")]
            participants[record["ref"]] = register_participant(team, record)
        elif record["type"] == "correction":
            participant = participants[record["ref"]]
            correct_event(participant, record["data"]["voids"], record["data"]["reason"], day=record["date"])
        else:
            participant = participants[record["ref"]]
            append_event(participant, record["type"], record["date"], record.get("data"), record.get("note"),
                         ext_id=record["id"])
    return teams


@pytest.fixture
def kraften_example():
    path = EXAMPLES / "kraften-hedemora-2020-21.jsonl"
    with path.open(encoding="utf-8") as lines:
        teams = load_exchange_lines(lines)
    expected = json.loads((EXAMPLES / "kraften-hedemora-2020-21.expected.json").read_text(encoding="utf-8"))
    return teams[expected["team"]], expected
