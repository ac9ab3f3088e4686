"""Helpers for the group session tests: enrolled participants of one team."""

import pytest

CONSENTS = {"consents": ["documentation", "information_sharing", "statistics"]}


@pytest.fixture
def enrol(make_participant, record, team):
    """Participants of `team` (or another), each referred and enrolled on the given day."""

    def make(count=1, on="2021-02-01", of=None, **facts):
        people = []
        for number in range(count):
            person = make_participant(of or team, f"Deltagare {number}", **facts)
            record(person, "referral_received", "2021-01-05", {"referrer_org": "af", "income_sources": ["none"]})
            record(person, "enrolled", on, CONSENTS)
            people.append(person)
        return people

    return make
