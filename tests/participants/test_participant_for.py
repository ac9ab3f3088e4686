"""`participant_for`: the one loader behind the page, API and data-protection routes."""

import pytest

from casework.auth.permissions import can_read_participant
from casework.errors import NotFound, PermissionDenied
from casework.participants.service import participant_for


def test_finds_an_own_teams_participant_by_id_or_ref(participant, coach):
    assert participant_for(coach, participant.id) is participant
    assert participant_for(coach, participant.ref, can_read_participant) is participant


def test_another_teams_participant_is_not_found(participant, make_team, make_user):
    stranger = make_user("coach", [make_team()])
    for ident in (participant.id, participant.ref):
        with pytest.raises(NotFound):
            participant_for(stranger, ident)


def test_roles_without_case_access_find_nobody(participant, make_user):
    for role in ("referrer", "auditor", "admin"):
        with pytest.raises(NotFound):
            participant_for(make_user(role), participant.id)


def test_a_refused_check_is_permission_denied(participant, coach):
    with pytest.raises(PermissionDenied):
        participant_for(coach, participant.id, lambda user, found: False)
