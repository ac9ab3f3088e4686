"""Which teams a user may see as teams (name, federation, settings): not their participants.

Coaches and team leads see their own teams, an analyst the teams of their federation (whose
aggregates they read), an admin every team. Referrers and auditors see none here.
"""

import sqlalchemy as sa

from casework.auth.permissions import staff_team_ids
from casework.teams.models import Team


def can_see_team(user, team: Team) -> bool:
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
