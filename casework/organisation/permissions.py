"""Who keeps and who reads a team's organisation records (staff, budget, meetings)."""

from casework.auth.permissions import can_manage_team, is_team_staff


def can_edit_organisation(user, team) -> bool:
    """The team's own lead, or an admin: the organisation side of the report is the lead's (DOMAIN.md §1)."""
    return can_manage_team(user, team)


def can_view_organisation(user, team) -> bool:
    """The team's staff and whoever may edit; analysts see the figures in reports, not the records."""
    return is_team_staff(user, team) or can_edit_organisation(user, team)
