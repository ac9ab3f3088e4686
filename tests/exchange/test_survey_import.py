"""Surveys in the exchange format: answers checked by line, legacy scores always read."""

import json

import pytest
import sqlalchemy as sa

from casework.events.models import Event
from casework.exchange.service import ImportRefused, import_lines
from casework.extensions import db


def survey_file(*surveys: dict) -> list[str]:
    lines = [
        {"record": "team", "slug": "survey-team", "name": "Survey Team", "federation": "Testförbundet"},
        {"record": "participant", "ref": "S1", "team": "survey-team", "gender": "man", "birth_year": 1985},
        {"record": "event", "id": "E1", "ref": "S1", "type": "referral_received", "date": "2021-01-05",
         "data": {"referrer_org": "af"}},
        {"record": "event", "id": "E2", "ref": "S1", "type": "enrolled", "date": "2021-02-01", "data": {}},
        *[{"record": "event", "id": f"V{n}", "ref": "S1", "type": "survey", "date": "2021-05-03", "data": data}
          for n, data in enumerate(surveys)],
    ]
    return [json.dumps(line) for line in lines]


def events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event))


@pytest.mark.parametrize("data, field, message", [
    ({"instrument": "nns_exit", "answers": {"q2": 0}}, "data.answers.q2", "Must be between 1 and 10."),
    ({"instrument": "nns_ongoing", "answers": {"q9": 4}}, "data.answers.q9", "Not a question of this instrument."),
    ({"instrument": "ors", "answers": {"individually": 12, "interpersonally": 1, "socially": 1, "overall": 1}},
     "data.answers.individually", "Must be between 0 and 10."),
])
def test_a_bad_answer_is_refused_with_its_line_and_nothing_is_written(data, field, message):
    before = events()
    with pytest.raises(ImportRefused) as caught:
        import_lines(survey_file({"instrument": "nns_exit", "answers": {"q1": 5}}, data))
    assert caught.value.line_errors == [(6, field, message)]
    assert caught.value.errors == {f"line 6: {field}": [message]}
    assert events() == before


def test_legacy_scores_and_old_instrument_ids_are_imported():
    legacy = [{"instrument": "nns_3m", "score": 4.0}, {"instrument": "process_step", "score": 3.0},
              {"instrument": "ors", "score": 23.5}]
    import_lines(survey_file(*legacy))
    stored = db.session.scalars(sa.select(Event.data).where(Event.type == "survey").order_by(Event.ext_id)).all()
    assert stored == legacy


FIVE = ["aldrig", "sällan", "ibland", "ofta", "alltid"]


def with_settings(lines: list[str], settings: dict) -> list[str]:
    team = json.loads(lines[0]) | {"settings": settings}
    return [json.dumps(team), *lines[1:]]


def test_an_answer_beyond_the_scale_set_on_the_files_team_line_is_refused_with_its_line():
    before = events()
    lines = with_settings(survey_file({"instrument": "nns_exit", "answers": {"q1": 5}},
                                      {"instrument": "nns_ongoing", "answers": {"q3": 6}},
                                      {"instrument": "process_staircase", "answers": {"step": 4}}),
                          {"nns_scale": FIVE, "process_steps": ["a", "b", "c"]})
    with pytest.raises(ImportRefused) as caught:
        import_lines(lines)
    assert caught.value.line_errors == [
        (6, "data.answers.q3", "Must be between 1 and 5: the team's scale has 5 steps."),
        (7, "data.answers.step", "Must be between 1 and 3: the team's scale has 3 steps."),
    ]
    assert events() == before


def test_answers_on_the_teams_scale_import_and_a_team_line_may_not_then_misread_them():
    lines = with_settings(survey_file({"instrument": "nns_exit", "answers": {"q1": 5}}), {"nns_scale": FIVE})
    import_lines(lines)
    before = events()
    changed = with_settings(lines[:1], {"nns_scale": [*FIVE, "mer"]})
    with pytest.raises(ImportRefused) as caught:
        import_lines(changed)
    [(line, field, message)] = caught.value.line_errors
    assert (line, field) == (1, "settings.nns_scale") and "cannot change" in message
    assert events() == before
    renamed = with_settings(lines[:1], {"nns_scale": ["1", "2", "3", "4", "5"]})
    import_lines(renamed)
