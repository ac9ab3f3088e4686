"""The survey scales as team settings (DOMAIN.md §7): the NNS answer scale and the process
staircase's steps, their rules, the page, the history, and changes that would misread answers."""

import pytest
import sqlalchemy as sa

from casework.errors import ValidationFailed, flatten_messages
from casework.extensions import db
from casework.teams.models import SettingsChange
from casework.teams.service import settings_history, update_team_settings, validated_settings
from casework.teams.settings import DEFAULT_NNS_SCALE, DEFAULT_PROCESS_STEPS, TeamSettings
from tests.teams.test_settings_page import form_data

FIVE = ["aldrig", "sällan", "ibland", "ofta", "alltid"]
STAIRS = ["Motivation", "Förberedelse", "Praktik", "Arbete"]


def codes(raw: dict) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        validated_settings(raw)
    return {path: [getattr(m, "code", str(m)) for m in messages]
            for path, messages in flatten_messages(caught.value.errors).items()}


def test_the_defaults_are_those_of_the_spec():
    settings = TeamSettings()
    assert settings.nns_scale == ("inte alls", "till liten del", "till viss del", "till stor del",
                                  "till mycket stor del", "helt och hållet")
    assert len(settings.process_steps) == 7
    assert validated_settings({}).nns_scale == DEFAULT_NNS_SCALE


def test_a_scale_of_its_own_is_kept_trimmed_in_order():
    settings = validated_settings({"nns_scale": [f" {label} " for label in FIVE], "process_steps": STAIRS})
    assert settings.nns_scale == tuple(FIVE) and settings.process_steps == tuple(STAIRS)
    assert settings.to_dict()["nns_scale"] == FIVE


@pytest.mark.parametrize("raw, path, code", [
    ({"nns_scale": ["a", "b"]}, "settings.nns_scale", "settings.step_count"),
    ({"nns_scale": [str(n) for n in range(11)]}, "settings.nns_scale", "settings.step_count"),
    ({"process_steps": ["ett"]}, "settings.process_steps", "settings.step_count"),
    ({"process_steps": [f"s{n}" for n in range(8)]}, "settings.process_steps", "settings.step_count"),
    ({"nns_scale": ["a", " ", "c"]}, "settings.nns_scale.1", "settings.step_label_empty"),
    ({"nns_scale": ["a", "B", "b "]}, "settings.nns_scale", "settings.step_label_twice"),
    ({"process_steps": ["a", "x" * 61]}, "settings.process_steps.1", "Longer than maximum length 60."),
    ({"process_steps": ["a", "b\x07"]}, "settings.process_steps.1", None),
])
def test_a_bad_scale_is_refused_on_its_field(raw, path, code):
    found = codes(raw)
    assert path in found, found
    if code is not None:
        assert code in found[path]


def test_nothing_is_saved_when_a_scale_is_refused(team):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(SettingsChange))
    with pytest.raises(ValidationFailed):
        update_team_settings(team, {"nns_scale": ["bara ett"]}, None)
    assert team.settings.nns_scale == DEFAULT_NNS_SCALE
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SettingsChange)) == before


def test_the_page_saves_a_scale_and_the_history_shows_it(team, make_user, login, client):
    lead = make_user("team_lead", [team])
    login(lead)
    page = client.get(f"/teams/{team.slug}/settings").get_data(as_text=True)
    assert "helt och hållet" in page and "Steg 7" in page
    saved = client.post(f"/teams/{team.slug}/settings",
                        data=form_data(nns_scale="\n".join(FIVE), process_steps="\r\n".join(STAIRS) + "\n\n"))
    assert saved.status_code == 302
    assert team.settings.nns_scale == tuple(FIVE) and team.settings.process_steps == tuple(STAIRS)
    change = settings_history(team)[0]
    assert change.after["nns_scale"] == FIVE and change.before["nns_scale"] == list(DEFAULT_NNS_SCALE)
    history = client.get(f"/teams/{team.slug}/settings").get_data(as_text=True)
    assert "1 aldrig, 2 sällan" in history


def test_the_page_refuses_a_bad_scale_on_its_field_and_saves_nothing(team, make_user, login, client):
    login(make_user("team_lead", [team]))
    refused = client.post(f"/teams/{team.slug}/settings", data=form_data(nns_scale="ja\nnej", process_steps=""))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="nns_scale-error"' in text and 'id="process_steps-error"' in text
    assert "Ange mellan 3 och 10 steg." in text and "Ange mellan 2 och 7 steg." in text
    assert team.settings == TeamSettings(trial_months=2)


def test_the_nns_steps_cannot_change_in_number_once_answered_but_may_be_renamed(team, enrolled, record):
    record(enrolled, "survey", "2021-03-01", {"instrument": "nns_exit", "answers": {"q1": 6}})
    with pytest.raises(ValidationFailed) as caught:
        update_team_settings(team, {"nns_scale": [*DEFAULT_NNS_SCALE, "mer än helt"]}, None)
    assert [m.code for m in caught.value.errors["settings"]["nns_scale"]] == ["settings.nns_scale_in_use"]
    assert team.settings.nns_scale == DEFAULT_NNS_SCALE
    renamed = ["1", "2", "3", "4", "5", "6"]
    assert update_team_settings(team, {"nns_scale": renamed}, None).nns_scale == tuple(renamed)


def test_a_voided_answer_does_not_hold_the_scale(team, enrolled, record):
    survey = record(enrolled, "survey", "2021-03-01", {"instrument": "nns_ongoing", "answers": {"q1": 2}})
    from casework.events.service import correct_event

    correct_event(enrolled, survey.id, "Fel person")
    assert update_team_settings(team, {"nns_scale": FIVE}, None).nns_scale == tuple(FIVE)


def test_the_staircase_grows_and_shrinks_down_to_its_highest_recorded_step(team, enrolled, record):
    record(enrolled, "survey", "2021-03-01", {"instrument": "process_staircase", "answers": {"step": 5}})
    with pytest.raises(ValidationFailed) as caught:
        update_team_settings(team, {"process_steps": STAIRS}, None)
    assert caught.value.errors["settings"]["process_steps"][0].params == {"step": 5}
    assert len(update_team_settings(team, {"process_steps": [*STAIRS, "Klar"]}, None).process_steps) == 5
    assert len(update_team_settings(team, {"process_steps": list(DEFAULT_PROCESS_STEPS)}, None).process_steps) == 7
