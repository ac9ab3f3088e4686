"""Who may do what in data protection: plain functions, checked in every view and service edge."""

from casework.auth.permissions import _authenticated, is_team_staff


def is_team_lead_of(user, team) -> bool:
    return _authenticated(user) and user.role == "team_lead" and team.id in user.team_ids


def can_erase_participant(user, participant) -> bool:
    return is_team_lead_of(user, participant.team)


def can_force_erasure(user, participant) -> bool:
    """Erasing someone still enrolled: a team lead only, always with a reason."""
    return is_team_lead_of(user, participant.team)


def can_set_legal_hold(user, participant) -> bool:
    return is_team_lead_of(user, participant.team)


def can_export_subject_access(user, participant) -> bool:
    return is_team_staff(user, participant.team)


def can_rectify_participant(user, participant) -> bool:
    return is_team_staff(user, participant.team)


def can_view_protection(user, participant) -> bool:
    return is_team_staff(user, participant.team)


def can_read_access_log(user) -> bool:
    return _authenticated(user) and user.role == "auditor"


def can_view_processing_records(user) -> bool:
    return _authenticated(user) and user.role in {"auditor", "admin", "team_lead"}
