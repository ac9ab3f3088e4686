"""The settings rules, in the one place every way in uses (page, import, API): contradictions are
refused with a code on the field at fault, and nothing is written."""

import pytest
import sqlalchemy as sa

from casework.errors import ValidationFailed, flatten_messages
from casework.extensions import db
from casework.teams.models import SettingsChange
from casework.teams.service import changed_keys, settings_history, update_team_settings, validated_settings
from casework.vocab import EXIT_CATEGORIES


def refusal(raw: dict) -> dict[str, list[str]]:
    """{field path: [codes]} of the refused settings."""
    with pytest.raises(ValidationFailed) as caught:
        validated_settings(raw)
    assert caught.value.code == "team.settings_invalid"
    return {path: [getattr(m, "code", None) for m in messages]
            for path, messages in flatten_messages(caught.value.errors).items()}


def test_kraften_seven_columns_are_accepted_in_their_order(kraften_columns):
    settings = validated_settings({"report_columns": kraften_columns})
    assert list(settings.report_columns) == list(kraften_columns)
    assert settings.report_columns["Övrigt"] == tuple(kraften_columns["Övrigt"])


def test_a_category_in_two_columns_is_refused_on_the_columns(kraften_columns):
    columns = kraften_columns | {"Arbete": ["work", "studies"]}
    errors = refusal({"report_columns": columns})
    assert errors == {"settings.report_columns": ["settings.category_in_two_columns"]}


def test_a_category_in_no_column_is_refused_and_named(kraften_columns):
    columns = {k: v for k, v in kraften_columns.items() if k != "Tidigt avhopp"}
    with pytest.raises(ValidationFailed) as caught:
        validated_settings({"report_columns": columns})
    [message] = caught.value.errors["settings"]["report_columns"]
    assert message.code == "settings.category_without_column" and "dropout" in message
    assert message.params["categories"] == EXIT_CATEGORIES["dropout"]


def test_an_empty_column_is_refused(kraften_columns):
    errors = refusal({"report_columns": kraften_columns | {"Tom": []}})
    assert errors == {"settings.report_columns": ["settings.column_empty"]}


def test_an_unknown_category_is_refused(kraften_columns):
    errors = refusal({"report_columns": kraften_columns | {"Arbete": ["work", "lottery"]}})
    assert list(errors) == ["settings.report_columns.Arbete.value.1"]
    assert refusal({"goal_categories": ["work", "lottery"]}) == {"settings.goal_categories.1": [None]}


def test_a_goal_category_cannot_be_excluded_from_the_denominator():
    errors = refusal({"goal_categories": ["work", "dropout"], "exclude_from_result": ["dropout", "within_trial"]})
    assert errors == {"settings.goal_categories": ["settings.goal_excluded"]}


@pytest.mark.parametrize("key, value, code", [
    ("age_brackets", [], "settings.too_few_bounds"),
    ("age_brackets", [18], "settings.too_few_bounds"),
    ("age_brackets", [18, 46, 31], "settings.not_ascending"),
    ("age_brackets", [18, 31, 31], "settings.not_ascending"),
    ("support_brackets_months", [], "settings.too_few_bounds"),
    ("support_brackets_months", [24, 12], "settings.not_ascending"),
    ("goal_categories", [], "settings.too_few_bounds"),
    ("goal_categories", ["work", "work"], "settings.listed_twice"),
])
def test_empty_and_unsorted_lists_are_refused(key, value, code):
    assert refusal({key: value}) == {f"settings.{key}": [code]}


def test_a_change_is_kept_with_who_and_when_and_what(team, make_user, kraften_columns):
    lead = make_user("team_lead", [team])
    before = dict(team.settings_json)
    update_team_settings(team, before | {"trial_months": 3, "report_columns": kraften_columns}, lead)
    latest = settings_history(team)[0]
    assert (latest.changed_by, latest.source, latest.before) == (lead, "page", before)
    assert latest.changed_at is not None
    assert changed_keys(latest.before, latest.after) == ["trial_months", "report_columns"]
    assert team.settings.trial_months == 3


def test_saving_the_same_settings_keeps_no_change(team, make_user):
    lead = make_user("team_lead", [team])
    count = len(settings_history(team))
    update_team_settings(team, dict(team.settings_json), lead)
    assert len(settings_history(team)) == count


def test_reordering_the_columns_is_a_change(team, make_user, kraften_columns):
    lead = make_user("team_lead", [team])
    update_team_settings(team, {"report_columns": kraften_columns}, lead)
    reordered = dict(reversed(list(kraften_columns.items())))
    update_team_settings(team, {"report_columns": reordered}, lead)
    assert list(team.settings.report_columns) == list(reordered)
    assert changed_keys(settings_history(team)[0].before, settings_history(team)[0].after) == ["report_columns"]


def test_refused_settings_write_nothing(team, make_user):
    lead = make_user("team_lead", [team])
    stored, changes = dict(team.settings_json), db.session.scalar(sa.select(sa.func.count()).select_from(SettingsChange))
    with pytest.raises(ValidationFailed):
        update_team_settings(team, {"goal_categories": ["dropout"]}, lead)
    assert team.settings_json == stored
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SettingsChange)) == changes
