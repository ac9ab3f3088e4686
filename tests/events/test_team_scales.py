"""The event rule on a team's own survey scales: an NNS answer or a staircase step beyond the
team's scale is refused on its question, whichever way it comes in; nothing is written."""

import pytest

from casework.errors import ValidationFailed
from casework.events.instruments import INSTRUMENTS, team_problems
from casework.events.service import log_of
from casework.teams.service import update_team_settings
from casework.teams.settings import TeamSettings

FIVE = ["aldrig", "sällan", "ibland", "ofta", "alltid"]
STAIRS = ["Motivation", "Förberedelse", "Praktik", "Arbete"]


@pytest.fixture
def small_scales(team):
    update_team_settings(team, {"trial_months": 2, "nns_scale": FIVE, "process_steps": STAIRS}, None)
    return team


def test_the_team_scale_has_as_many_steps_as_the_team_names():
    settings = TeamSettings(nns_scale=tuple(FIVE), process_steps=tuple(STAIRS))
    assert INSTRUMENTS["nns_exit"].team_scale(settings).high == 5
    assert INSTRUMENTS["nns_exit"].team_scale(settings).top_two() == (4, 5)
    assert INSTRUMENTS["process_staircase"].team_scale(settings).high == 4
    assert INSTRUMENTS["ors"].team_scale(settings) == INSTRUMENTS["ors"].scale


def test_team_problems_name_each_answer_beyond_the_scale():
    settings = TeamSettings(nns_scale=tuple(FIVE))
    found = team_problems(settings, "nns_exit", {"q1": 5, "q2": 6, "q3": None, "q4": 1})
    assert list(found) == ["q2"] and found["q2"][0].code == "survey.beyond_team_scale"
    assert found["q2"][0].params == {"low": 1, "high": 5}
    assert team_problems(settings, "ors", {"overall": 10.0}) == {}


@pytest.mark.parametrize("data, path", [
    ({"instrument": "nns_exit", "answers": {"q1": 5, "q7": 6}}, "data.answers.q7"),
    ({"instrument": "nns_ongoing", "answers": {"q2": 10}}, "data.answers.q2"),
    ({"instrument": "process_staircase", "answers": {"step": 5}}, "data.answers.step"),
])
def test_an_answer_beyond_the_teams_scale_is_refused_and_nothing_written(small_scales, enrolled, record, data, path):
    before = len(log_of(enrolled.id))
    with pytest.raises(ValidationFailed) as caught:
        record(enrolled, "survey", "2021-03-01", data)
    assert path in caught.value.errors
    assert len(log_of(enrolled.id)) == before


def test_an_answer_on_the_teams_scale_is_kept(small_scales, enrolled, record):
    event = record(enrolled, "survey", "2021-03-01", {"instrument": "process_staircase", "answers": {"step": 4}})
    assert event.data == {"instrument": "process_staircase", "answers": {"step": 4}}


def test_the_default_scale_refuses_a_seventh_nns_step(enrolled, record):
    with pytest.raises(ValidationFailed) as caught:
        record(enrolled, "survey", "2021-03-01", {"instrument": "nns_exit", "answers": {"q1": 7}})
    assert "data.answers.q1" in caught.value.errors


def test_the_messages_name_the_teams_own_bounds(small_scales, enrolled, record):
    with pytest.raises(ValidationFailed) as caught:
        record(enrolled, "survey", "2021-03-01", {"instrument": "nns_exit", "answers": {"q1": 0, "q2": 2.5, "q3": 6}})
    errors = caught.value.errors
    assert errors["data.answers.q1"] == ["Must be between 1 and 5."]
    assert [m.params for m in errors["data.answers.q2"]] == [{"low": 1, "high": 5}]
    assert errors["data.answers.q3"] == ["Must be between 1 and 5."]


def test_the_team_scale_is_forgotten_after_the_event(small_scales, enrolled, record):
    from casework.events.registry import validate_payload

    with pytest.raises(ValidationFailed):
        record(enrolled, "survey", "2021-03-01", {"instrument": "nns_exit", "answers": {"q1": 6}})
    assert validate_payload("survey", {"instrument": "nns_exit", "answers": {"q1": 6}})[0]["answers"] == {"q1": 6}
