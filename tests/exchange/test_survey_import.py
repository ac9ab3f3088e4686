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
    ({"instrument": "nns_exit", "answers": {"q2": 0}}, "data.answers.q2", "Must be between 1 and 6."),
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
