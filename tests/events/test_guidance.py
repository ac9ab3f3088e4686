"""Which steps the participant page offers: the ones the log rules accept today, likeliest first."""

import datetime as dt

import pytest

from casework.errors import DomainError
from casework.events.forms import RECORDABLE
from casework.events.guidance import choose_steps
from casework.events.service import append_event, state_of

TODAY = dt.date(2021, 9, 1)


def choice_for(participant):
    return choose_steps(state_of(participant), RECORDABLE, TODAY)


@pytest.mark.parametrize(("steps", "first"), [
    ([], "study_visit"),
    ([("study_visit", "2021-01-02", {})], "referral_received"),
    ([("referral_received", "2021-01-05", {"referrer_org": "fk"})], "enrolled"),
    ([("referral_received", "2021-01-05", {"referrer_org": "fk"}), ("enrolled", "2021-02-01", {})], "trial_completed"),
    ([("referral_received", "2021-01-05", {"referrer_org": "fk"}), ("enrolled", "2021-02-01", {}),
      ("trial_completed", "2021-05-01", {})], "follow_up"),
    ([("referral_received", "2021-01-05", {"referrer_org": "fk"}), ("enrolled", "2021-02-01", {}),
      ("trial_completed", "2021-05-01", {}),
      ("work_training_started", "2021-06-01", {"kind": "internship", "extent_percent": 50})],
     "work_training_ended"),
    ([("referral_received", "2021-01-05", {"referrer_org": "fk"}), ("enrolled", "2021-02-01", {}),
      ("exited", "2021-06-01", {"category": "studies"})], "post_exit_follow_up"),
])
def test_the_likeliest_next_step_comes_first(participant, record, steps, first):
    for type_name, day, data in steps:
        record(participant, type_name, day, data)
    assert choice_for(participant).first == first


def test_every_step_is_offered_once_and_the_valid_ones_are_accepted_today(participant, record):
    record(participant, "referral_received", "2021-01-05", {"referrer_org": "fk"})
    choice = choice_for(participant)
    offered = [*choice.suggested, *choice.valid, *choice.earlier_only]
    assert sorted(offered) == sorted(RECORDABLE)
    assert choice.suggested[:2] == ["enrolled", "referral_withdrawn"]
    assert {"exited", "trial_completed", "follow_up", "referral_received"} <= set(choice.earlier_only)
    assert "enrolled" not in choice.earlier_only and "study_visit" in choice.valid


def test_what_the_guidance_keeps_apart_is_what_the_service_refuses_today(participant, record):
    """One source of truth: a step 'valid now' passes the log rules, one kept apart is refused by them."""
    record(participant, "referral_received", "2021-01-05", {"referrer_org": "fk"})
    choice = choice_for(participant)
    payloads = {"exited": {"category": "studies"}, "follow_up": {"status": "held"}}
    for type_name in ("exited", "follow_up", "trial_completed"):
        assert type_name in choice.earlier_only
        with pytest.raises(DomainError):
            append_event(participant, type_name, TODAY, payloads.get(type_name, {}))
    append_event(participant, choice.first, TODAY, {})
    assert state_of(participant).phase == "in_trial"
