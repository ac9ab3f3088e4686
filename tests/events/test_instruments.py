"""The survey rule (DOMAIN.md §7): answers on the instrument's scale, known questions only."""

import pytest
from marshmallow import ValidationError

from casework.events.instruments import INSTRUMENTS, LEGACY_IDS, NNS_STEPS
from casework.events.registry import validate_payload
from casework.teams.settings import TeamSettings


def refusal(data: dict) -> dict:
    with pytest.raises(ValidationError) as caught:
        validate_payload("survey", data)
    return caught.value.messages


def codes(messages: dict) -> dict:
    return {key: [m.code for m in value] for key, value in messages.items()}


def test_the_instruments_have_the_questions_of_section_7():
    assert list(INSTRUMENTS) == ["nns_ongoing", "nns_exit", "ors", "srs", "process_staircase"]
    assert list(INSTRUMENTS["nns_ongoing"].questions) == [f"q{n}" for n in range(1, 8)]
    assert list(INSTRUMENTS["nns_exit"].questions) == [f"q{n}" for n in range(1, 11)]
    assert list(INSTRUMENTS["ors"].questions) == ["individually", "interpersonally", "socially", "overall"]
    assert list(INSTRUMENTS["srs"].questions) == ["relationship", "goals_topics", "approach_method", "overall"]
    assert list(INSTRUMENTS["process_staircase"].questions) == ["step"]
    assert INSTRUMENTS["nns_exit"].questions["q3"] == "Har stödet fått ta den tid du behövt?"
    assert INSTRUMENTS["nns_ongoing"].questions["q3"] == "Får stödet ta den tid du behöver?"
    assert tuple(NNS_STEPS.values()) == TeamSettings().nns_scale
    assert INSTRUMENTS["nns_exit"].team_scale(TeamSettings()).top_two() == (5, 6)


def test_answers_on_the_scale_are_kept_as_numbers():
    public, personal = validate_payload("survey", {"instrument": "nns_exit", "answers": {"q1": 6, "q10": None}})
    assert public == {"instrument": "nns_exit", "answers": {"q1": 6, "q10": None}} and personal == {}
    ors = {"individually": 0, "interpersonally": 9.9, "socially": 10, "overall": 4.5}
    assert validate_payload("survey", {"instrument": "ors", "answers": ors})[0]["answers"] == ors


@pytest.mark.parametrize("data, expected", [
    ({"instrument": "nns_ongoing", "answers": {"q1": 11}}, {"q1": ["survey.off_scale"]}),
    ({"instrument": "nns_ongoing", "answers": {"q1": 0}}, {"q1": ["survey.off_scale"]}),
    ({"instrument": "nns_ongoing", "answers": {"q8": 3}}, {"q8": ["survey.unknown_question"]}),
    ({"instrument": "nns_ongoing", "answers": {"q2": 4.5}}, {"q2": ["survey.whole_step"]}),
    ({"instrument": "ors", "answers": {"individually": 10.1, "interpersonally": 1, "socially": 1, "overall": 1}},
     {"individually": ["survey.off_scale"]}),
    ({"instrument": "ors", "answers": {"individually": -1, "interpersonally": 1.25, "socially": 1, "overall": None}},
     {"individually": ["survey.off_scale"], "interpersonally": ["survey.one_decimal"],
      "overall": ["survey.answer_required"]}),
    ({"instrument": "srs", "answers": {"relationship": 5}},
     {q: ["survey.answer_required"] for q in ("goals_topics", "approach_method", "overall")}),
    ({"instrument": "process_staircase", "answers": {"step": 8}}, {"step": ["survey.off_scale"]}),
])
def test_an_answer_the_instrument_does_not_take_is_refused_by_question(data, expected):
    assert codes(refusal(data)["answers"]) == expected


@pytest.mark.parametrize("instrument", [*INSTRUMENTS, *LEGACY_IDS])
def test_a_legacy_score_is_still_accepted(instrument):
    assert validate_payload("survey", {"instrument": instrument, "score": 23.5})[0] == {"instrument": instrument,
                                                                                       "score": 23.5}


def test_a_legacy_instrument_id_takes_no_answers():
    assert codes(refusal({"instrument": "nns_3m", "answers": {"q1": 3}})) == {"instrument": ["survey.legacy_instrument"]}


def test_a_rating_sent_as_a_binary_fraction_is_kept_with_one_decimal():
    ors = {"individually": 0.30000000000000004, "interpersonally": 9.9, "socially": 1, "overall": 0}
    assert validate_payload("survey", {"instrument": "ors", "answers": ors})[0]["answers"]["individually"] == 0.3
