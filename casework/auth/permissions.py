"""Who may do what: plain functions, checked after loading and before acting, in every view.

Case content (names, notes, events) is for the team's coaches and team leads only.
Referrers reach only their follow-up schedule (casework.schedule), analysts only aggregates,
auditors only the access log and processing records, admins only configuration.
"""

from casework.vocab import ROLES

TEAM_STAFF = {"coach", "team_lead"}


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.role in ROLES)


def is_team_staff(user, team) -> bool:
    return _authenticated(user) and user.role in TEAM_STAFF and team.id in user.team_ids


def can_view_team(user, team) -> bool:
    return is_team_staff(user, team)


def can_list_participants(user, team) -> bool:
    return is_team_staff(user, team)


def can_register_participant(user, team) -> bool:
    return is_team_staff(user, team)


def can_read_participant(user, participant) -> bool:
    return is_team_staff(user, participant.team)


def can_record_event(user, participant) -> bool:
    return is_team_staff(user, participant.team)


def can_correct_event(user, participant, event) -> bool:
    return is_team_staff(user, participant.team) and event.participant_id == participant.id


def can_manage_team(user, team) -> bool:
    return _authenticated(user) and (user.role == "admin" or (user.role == "team_lead" and team.id in user.team_ids))


def can_manage_users(user) -> bool:
    return _authenticated(user) and user.role == "admin"


def staff_team_ids(user) -> set[str]:
    return user.team_ids if _authenticated(user) and user.role in TEAM_STAFF else set()
