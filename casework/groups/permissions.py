"""Who may record and correct group sessions: the team's coaches and team leads."""

from casework.auth.permissions import is_team_staff


def can_record_group_session(user, team) -> bool:
    return is_team_staff(user, team)


def can_view_group_session(user, team) -> bool:
    return is_team_staff(user, team)
