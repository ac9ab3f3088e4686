import pytest

from casework.errors import Conflict, ValidationFailed
from casework.participants.service import personal_data, search_participants


def test_personal_data_is_stored_only_encrypted(participant):
    assert b"Anna" not in participant.name_enc
    assert b"19900101" not in participant.personnummer_enc
    assert participant.pnr_index and "19900101" not in participant.pnr_index


def test_personnummer_is_validated_and_found_through_the_blind_index(participant, make_participant, team, coach):
    assert search_participants({team.id}, "900101-0017") == [participant]
    assert search_participants({team.id}, "anna ex") == [participant]
    with pytest.raises(ValidationFailed) as error:
        make_participant(team, "Fel Nummer", "19900101-0018")
    assert error.value.errors == {"personnummer": ["Not a valid personnummer."]}
    with pytest.raises(Conflict):
        make_participant(team, "Samma Nummer", "199001010017")
    assert personal_data(participant, coach, "case_work").personnummer == "19900101-0017"


def test_search_stays_within_the_given_teams(participant, make_team):
    other = make_team()
    assert search_participants({other.id}, "Anna") == []
    assert search_participants({other.id}, "19900101-0017") == []


def test_an_anonymous_participant_keeps_only_facts(make_participant, team):
    anonymous = make_participant(team, name=None)
    assert anonymous.anonymous and anonymous.name_enc is None
    with pytest.raises(ValidationFailed):
        make_participant(team, name="Namn", anonymous=True)
