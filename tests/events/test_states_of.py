"""`states_of` (lean rows, payload decoded on demand) derives what `state_of` derives from full events."""

from casework.events.service import correct_event, state_of, states_of


def test_states_of_many_equals_state_of_each(team, make_participant, record, enrolled, coach):
    record(enrolled, "follow_up", "2021-03-01", {"status": "booked", "scheduled_for": "2021-04-01",
                                                 "scheduled_time": "09:30"})
    record(enrolled, "follow_up", "2021-04-01", {"status": "held"})
    record(enrolled, "consent_withdrawn", "2021-04-02", {"scope": "statistics"})
    record(enrolled, "income_changed", "2021-05-01", {"income_sources": ["salary", "activity_support"]})
    wrong = record(enrolled, "exited", "2021-06-01", {"category": "work", "income_sources": ["salary"]})
    correct_event(enrolled, wrong.id, "Fel datum", user=coach)
    queued = make_participant(team, "Kim Kö")
    record(queued, "referral_received", "2021-01-05", {"referrer_org": "af", "income_sources": ["none"]})
    empty = make_participant(team, "Ny Person")
    states = states_of([enrolled, queued, empty])
    for participant in (enrolled, queued, empty):
        assert states[participant.id] == state_of(participant)
    state = states[enrolled.id]
    assert (state.phase, state.next_follow_up_due.isoformat(), state.income_sources, state.consents) == (
        "in_trial", "2021-07-01", ["salary", "activity_support"], {"documentation", "information_sharing"})
