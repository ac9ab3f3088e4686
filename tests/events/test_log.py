import datetime as dt

import pytest

from casework.errors import ValidationFailed
from casework.events.models import Event, ImmutableEvent
from casework.events.service import correct_event, decrypted_timeline, log_of, state_of


def test_a_path_from_study_visit_to_exit_derives_each_phase(participant, record, coach):
    record(participant, "study_visit", "2021-01-02", {"referrer_present": True, "mode": "physical"})
    assert state_of(participant).phase == "visited"
    record(participant, "referral_received", "2021-01-05", {"referrer_org": "soc", "income_sources": ["social_assistance"]})
    assert state_of(participant).phase == "queued"
    record(participant, "enrolled", "2021-02-01", {"consents": ["documentation"]})
    state = state_of(participant)
    assert (state.phase, state.next_follow_up_due) == ("in_trial", dt.date(2021, 5, 1))
    record(participant, "trial_completed", "2021-04-01")
    record(participant, "follow_up", "2021-05-03", {"status": "held"})
    assert state_of(participant).next_follow_up_due == dt.date(2021, 8, 3)
    record(participant, "income_changed", "2021-06-01", {"income_sources": ["salary"]})
    record(participant, "exited", "2021-09-01", {"category": "work", "subtype": "wage_subsidy", "income_sources": ["salary"]})
    state = state_of(participant)
    assert (state.phase, state.enrolled_on, state.exited_on, state.income_sources) == (
        "exited", dt.date(2021, 2, 1), dt.date(2021, 9, 1), ["salary"])
    assert state.next_follow_up_due is None


def test_an_enrolment_after_an_exit_starts_a_new_episode(enrolled, record):
    record(enrolled, "exited", "2021-03-01", {"category": "dropout"})
    record(enrolled, "enrolled", "2021-06-01", {"consents": []})
    state = state_of(enrolled)
    assert len(state.episodes) == 2 and state.phase == "in_trial"


@pytest.mark.parametrize("type_name, data, field", [
    ("follow_up", {"status": "held"}, "date"),
    ("exited", {"category": "work"}, "date"),
    ("trial_completed", {}, "date"),
])
def test_steps_that_need_an_enrolment_are_refused_without_one(participant, record, type_name, data, field):
    with pytest.raises(ValidationFailed) as error:
        record(participant, type_name, "2021-03-01", data)
    assert field in error.value.errors
    assert log_of(participant.id) == []


def test_a_step_dated_before_the_enrolment_is_refused(enrolled, record):
    with pytest.raises(ValidationFailed, match="needs an enrolment"):
        record(enrolled, "follow_up", "2021-01-20", {"status": "held"})


def test_a_second_enrolment_while_enrolled_is_refused(enrolled, record):
    with pytest.raises(ValidationFailed, match="Already enrolled"):
        record(enrolled, "enrolled", "2021-03-01", {"consents": []})


@pytest.mark.parametrize("data", [{}, {"category": "holiday"}])
def test_an_exit_needs_a_known_category(enrolled, record, data):
    with pytest.raises(ValidationFailed) as error:
        record(enrolled, "exited", "2021-03-01", data)
    assert "data.category" in error.value.errors


def test_unknown_types_fields_and_future_dates_are_refused(enrolled, record, today):
    with pytest.raises(ValidationFailed) as error:
        record(enrolled, "holiday", "2021-03-01")
    assert "type" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        record(enrolled, "activity", "2021-03-01", {"kind": "gym", "colour": "red"})
    assert "data.colour" in error.value.errors
    with pytest.raises(ValidationFailed, match="future"):
        record(enrolled, "activity", today + dt.timedelta(days=1), {"kind": "gym"})


def test_a_backdated_exit_that_would_orphan_later_steps_is_refused(enrolled, record):
    record(enrolled, "follow_up", "2021-05-01", {"status": "held"})
    with pytest.raises(ValidationFailed, match="later step"):
        record(enrolled, "exited", "2021-03-01", {"category": "work"})


def test_a_correction_voids_an_event_and_its_reversal_restores_it(enrolled, record, coach):
    exit_event = record(enrolled, "exited", "2021-03-01", {"category": "work"})
    correction = correct_event(enrolled, exit_event.id, "Fel datum", user=coach)
    assert state_of(enrolled).phase == "in_trial"
    correct_event(enrolled, correction.id, "Rättelsen var fel", user=coach)
    assert state_of(enrolled).phase == "exited"
    with pytest.raises(ValidationFailed, match="already voided"):
        correct_event(enrolled, correction.id, "igen", user=coach)


def test_events_are_never_edited_or_deleted(enrolled, session):
    event = log_of(enrolled.id)[0]
    with pytest.raises(ImmutableEvent), session.begin_nested():
        event.type = "exited"
        session.flush()
    with pytest.raises(ImmutableEvent), session.begin_nested():
        session.delete(session.get(Event, event.id))
        session.flush()
    assert session.get(Event, event.id).type == "referral_received"


def test_notes_and_personal_payload_are_encrypted_and_read_back(enrolled, record, coach, session):
    event = record(enrolled, "work_training_started", "2021-03-01",
                   {"kind": "internship", "extent_percent": 50, "workplace": "Bageriet i Hedemora"},
                   note="Trivs bra")
    assert event.data == {"kind": "internship", "extent_percent": 50}
    assert b"Bageriet" not in event.personal_enc and b"Trivs" not in event.note_enc
    row = next(r for r in decrypted_timeline(enrolled, coach, "case_work") if r["event"].id == event.id)
    assert row["note"] == "Trivs bra" and row["personal"] == {"workplace": "Bageriet i Hedemora"}


def test_an_anonymous_participants_event_can_be_corrected_but_takes_no_note(make_participant, team, record):
    anonymous = make_participant(team, name=None)
    visit = record(anonymous, "study_visit", "2021-01-05", {"referrer_present": False, "mode": "physical"})
    with pytest.raises(ValidationFailed):
        record(anonymous, "activity", "2021-01-06", {"kind": "meeting_point", "attended": True}, note="Anteckning")
    correction = correct_event(anonymous, visit.id, "Fel datum")
    rows = decrypted_timeline(anonymous, None, "test")
    assert [r["voided"] for r in rows if r["event"].id == visit.id] == [True]
    assert next(r for r in rows if r["event"].id == correction.id)["personal"] == {"reason": "Fel datum"}
