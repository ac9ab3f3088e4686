from casework.events.service import correct_event, state_of
from casework.protection.consent import excluded_from_detailed_exports, has_consent


def test_consents_follow_the_log(enrolled, record, make_participant, team):
    assert has_consent(state_of(enrolled), "statistics") and has_consent(state_of(enrolled), "information_sharing")
    queued = make_participant(team, "Kö Person")
    record(queued, "referral_received", "2021-01-05", {"referrer_org": "soc"})
    declined = make_participant(team, "Nej Statistik")
    record(declined, "referral_received", "2021-01-05", {"referrer_org": "soc"})
    record(declined, "enrolled", "2021-02-01", {"consents": ["documentation"]})
    ids = [enrolled.id, queued.id, declined.id]
    assert excluded_from_detailed_exports(ids) == {declined.id}
    withdrawal = record(enrolled, "consent_withdrawn", "2021-03-01", {"scope": "statistics"})
    assert not has_consent(state_of(enrolled), "statistics")
    assert excluded_from_detailed_exports(ids) == {declined.id, enrolled.id}
    correct_event(enrolled, withdrawal.id, "Fel person")
    assert excluded_from_detailed_exports(ids) == {declined.id}
    record(declined, "consent_given", "2021-04-01", {"scope": "statistics"})
    assert excluded_from_detailed_exports(ids) == set()
