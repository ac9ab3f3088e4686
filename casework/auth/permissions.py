"""Who may do what: plain functions, checked after loading and before acting, in every view.

Case content (names, notes, events) is for the team's coaches and team leads only.
Referrers reach only their follow-up schedule (casework.schedule), analysts only aggregates,
auditors only the access log and processing records, admins only configuration.
"""

import sqlalchemy as sa

from casework.teams.models import Team
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


def can_edit_team_settings(user, team) -> bool:
    """The team's own lead, or an admin (DOMAIN.md §1: team settings are the team lead's). Coaches
    are refused: they see the settings' effect in the report, and have no use for the form."""
    return can_manage_team(user, team)


def can_manage_users(user) -> bool:
    return _authenticated(user) and user.role == "admin"


def staff_team_ids(user) -> set[str]:
    return user.team_ids if _authenticated(user) and user.role in TEAM_STAFF else set()


def can_see_team(user, team: Team) -> bool:
    """Teams as teams (name, federation, settings), not their participants.

    Coaches and team leads see their own teams, an analyst the teams of their federation (whose
    aggregates they read), an admin every team. Referrers and auditors see none here.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == "admin":
        return True
    if user.role == "analyst":
        return user.federation_id is not None and team.federation_id == user.federation_id
    return team.id in staff_team_ids(user)


def visible_teams_query(user) -> sa.Select:
    """The teams `can_see_team` allows, as one query."""
    query = sa.select(Team).order_by(Team.name)
    if user.role == "admin":
        return query
    if user.role == "analyst":
        return query.where(Team.federation_id == user.federation_id) if user.federation_id else query.where(sa.false())
    ids = staff_team_ids(user)
    return query.where(Team.id.in_(ids)) if ids else query.where(sa.false())
