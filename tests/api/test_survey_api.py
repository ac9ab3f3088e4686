"""`POST .../events` with a survey: the structure of DOMAIN.md §7, bad answers a 422 naming the answer."""

import pytest

API = "/api/v1"


def post_survey(client, coach, bearer, participant, data):
    body = {"type": "survey", "date": "2021-03-01", "data": data, "note": "Fritextsvar"}
    return client.post(f"{API}/participants/{participant.id}/events", json=body, headers=bearer(coach))


@pytest.mark.parametrize("data, path", [
    ({"instrument": "nns_exit", "answers": {"q1": 9}}, "data.answers.q1"),
    ({"instrument": "nns_exit", "answers": {"q11": 3}}, "data.answers.q11"),
    ({"instrument": "ors", "answers": {"individually": 11, "interpersonally": 1, "socially": 1, "overall": 1}},
     "data.answers.individually"),
    ({"instrument": "nns_3m", "answers": {"q1": 3}}, "data.instrument"),
])
def test_a_bad_answer_is_a_422_naming_it_and_writes_nothing(client, coach, bearer, enrolled, counts, data, path):
    before = counts()
    response = post_survey(client, coach, bearer, enrolled, data)
    assert response.status_code == 422 and path in response.get_json()["errors"], response.get_json()
    assert counts() == before


def test_a_good_survey_is_stored_with_its_note_encrypted(client, coach, bearer, enrolled):
    response = post_survey(client, coach, bearer, enrolled, {"instrument": "process_staircase", "answers": {"step": 4}})
    assert response.status_code == 201
    assert response.get_json()["data"] == {"instrument": "process_staircase", "answers": {"step": 4}}
    assert response.get_json()["note"] == "Fritextsvar"


def test_the_document_states_one_alternative_per_instrument(client):
    schemas = client.get(f"{API}/openapi.json").get_json()["components"]["schemas"]
    nns_exit = schemas["SurveyNnsExit"]
    assert nns_exit["properties"]["instrument"]["enum"] == ["nns_exit"]
    answers = schemas[nns_exit["properties"]["answers"]["$ref"].rsplit("/", 1)[1]]
    assert list(answers["properties"]) == [f"q{n}" for n in range(1, 11)]
    # the widest scale a team may set; the team's own is checked on its way in
    assert answers["properties"]["q1"]["minimum"] == 1 and answers["properties"]["q1"]["maximum"] == 10
    ors = schemas[schemas["SurveyOrs"]["properties"]["answers"]["$ref"].rsplit("/", 1)[1]]
    assert sorted(ors["required"]) == sorted(["individually", "interpersonally", "socially", "overall"])
    assert ors["properties"]["overall"]["maximum"] == 10 and ors["properties"]["overall"]["multipleOf"] == 0.1


def test_an_answer_beyond_the_teams_own_scale_is_a_422(client, coach, bearer, team, enrolled, counts):
    from casework.teams.service import update_team_settings

    update_team_settings(team, {"trial_months": 2, "nns_scale": ["a", "b", "c", "d"], "process_steps": ["x", "y"]},
                         None)
    before = counts()
    for data, path in [({"instrument": "nns_exit", "answers": {"q1": 5}}, "data.answers.q1"),
                       ({"instrument": "process_staircase", "answers": {"step": 3}}, "data.answers.step")]:
        response = post_survey(client, coach, bearer, enrolled, data)
        body = response.get_json()
        assert response.status_code == 422 and body["errors"][path] == [
            f"Must be between 1 and {4 if path.endswith('q1') else 2}."], body
    assert counts() == before
    assert post_survey(client, coach, bearer, enrolled,
                       {"instrument": "nns_exit", "answers": {"q1": 4}}).status_code == 201
