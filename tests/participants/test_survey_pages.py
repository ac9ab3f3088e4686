"""The survey pages: a paper questionnaire typed in, one `survey` event with numbers per question."""

import pytest

from casework.events.instruments import INSTRUMENTS
from casework.events.service import log_of


def url(participant, instrument: str) -> str:
    return f"/participants/{participant.id}/surveys/{instrument}"


def posted(day: str = "2021-04-20", note: str | None = None, **answers) -> dict:
    form = {"date": day, **{question: str(text) for question, text in answers.items()}}
    if note is not None:
        form["note"] = note
    return form


def test_the_participant_page_links_every_instrument(client, login, coach, enrolled):
    login(coach)
    page = client.get(f"/participants/{enrolled.id}").get_data(as_text=True)
    for instrument in INSTRUMENTS:
        assert url(enrolled, instrument) in page


def test_the_page_shows_the_fixed_questions_in_order(client, login, coach, enrolled):
    login(coach)
    page = client.get(url(enrolled, "nns_exit")).get_data(as_text=True)
    positions = [page.index(text) for text in INSTRUMENTS["nns_exit"].questions.values()]
    assert positions == sorted(positions)
    assert "Har stödet fått ta den tid du behövt?" in page and "till mycket stor del" in page


def test_an_nns_form_records_numbers_and_empty_as_not_answered(client, login, coach, enrolled):
    login(coach)
    answers = {f"q{n}": n % 6 + 1 for n in range(1, 11)} | {"q4": ""}
    response = client.post(url(enrolled, "nns_exit"), data=posted(note="Vill ha mer stöd", **answers))
    assert response.status_code == 302, response.get_data(as_text=True)
    event = log_of(enrolled.id)[-1]
    expected = {question: (value if value != "" else None) for question, value in answers.items()}
    assert event.type == "survey" and event.data == {"instrument": "nns_exit", "answers": expected}
    assert b"mer st" not in event.note_enc and event.note == "Vill ha mer stöd"
    timeline = client.get(f"/participants/{enrolled.id}").get_data(as_text=True)
    assert "1: 2, 2: 3, 3: 4, 4: –, 5: 6" in timeline and "Vill ha mer stöd" in timeline


def test_ors_takes_a_decimal_comma(client, login, coach, enrolled):
    login(coach)
    response = client.post(url(enrolled, "ors"), data=posted(individually="6,5", interpersonally="7",
                                                             socially="0", overall="10"))
    assert response.status_code == 302
    assert log_of(enrolled.id)[-1].data["answers"] == {"individually": 6.5, "interpersonally": 7,
                                                       "socially": 0, "overall": 10}
    assert "1: 6,5, 2: 7, 3: 0, 4: 10" in client.get(f"/participants/{enrolled.id}").get_data(as_text=True)


BAD = [
    ("nns_ongoing", {"q3": "7"}, "q3", "Ange ett värde mellan 1 och 6"),
    ("nns_ongoing", {"q2": "2,5"}, "q2", "Ange ett helt steg mellan 1 och 6"),
    ("nns_ongoing", {"q1": "mycket"}, "q1", "Ange ett tal"),
    ("ors", {"individually": "10,5", "interpersonally": "1", "socially": "1", "overall": "1"}, "individually",
     "Ange ett värde mellan 0 och 10"),
    ("ors", {"individually": "5,25", "interpersonally": "1", "socially": "1", "overall": "1"}, "individually",
     "Ange högst en decimal"),
    ("ors", {"individually": "5", "interpersonally": "1", "socially": "1"}, "overall", "Ange ett svar"),
    ("process_staircase", {"step": "8"}, "step", "Ange ett värde mellan 1 och 7"),
]


@pytest.mark.parametrize("instrument, answers, field, message", BAD, ids=[f"{b[0]}-{b[2]}" for b in BAD])
def test_an_answer_off_the_scale_is_refused_on_its_row(client, login, coach, enrolled, instrument, answers, field,
                                                       message):
    before = len(log_of(enrolled.id))
    login(coach)
    response = client.post(url(enrolled, instrument), data=posted(note="Behåll min text", **answers))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page and message in page.split(f'id="{field}-error"')[1][:200]
    assert 'aria-invalid="true"' in page and "Behåll min text" in page
    assert len(log_of(enrolled.id)) == before


def test_an_unknown_instrument_is_not_found(client, login, coach, enrolled):
    login(coach)
    assert client.get(url(enrolled, "nns_3m")).status_code == 404


def test_another_teams_coach_may_not_record(client, login, make_team, make_user, enrolled):
    other = make_user("coach", [make_team()])
    login(other)
    before = len(log_of(enrolled.id))
    assert client.post(url(enrolled, "srs"), data=posted(relationship="5", goals_topics="5",
                                                         approach_method="5", overall="5")).status_code == 404
    assert len(log_of(enrolled.id)) == before


def test_the_page_shows_the_teams_own_scale_and_refuses_a_step_beyond_it(client, login, coach, team, enrolled):
    from casework.teams.service import update_team_settings

    update_team_settings(team, {"trial_months": 2, "nns_scale": ["aldrig", "sällan", "ibland", "ofta", "alltid"],
                                "process_steps": ["Motivation", "Förberedelse", "Praktik"]}, None)
    login(coach)
    nns = client.get(url(enrolled, "nns_ongoing")).get_data(as_text=True)
    assert "1 aldrig, 2 sällan, 3 ibland, 4 ofta, 5 alltid." in nns and "helt och hållet" not in nns
    stairs = client.get(url(enrolled, "process_staircase")).get_data(as_text=True)
    assert "1 Motivation, 2 Förberedelse, 3 Praktik." in stairs
    before = len(log_of(enrolled.id))
    refused = client.post(url(enrolled, "nns_ongoing"), data=posted(q1="5", q2="6"))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="q2-error"' in text and "Ange ett värde mellan 1 och 5" in text
    refused = client.post(url(enrolled, "process_staircase"), data=posted(step="4"))
    assert refused.status_code == 400 and 'id="step-error"' in refused.get_data(as_text=True)
    assert len(log_of(enrolled.id)) == before
