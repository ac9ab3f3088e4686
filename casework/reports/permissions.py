"""Who may see which report: team staff their own teams; analysts their federation, suppressed."""

from casework.auth.permissions import is_team_staff

ANALYST = "analyst"


def _is_analyst_of(user, federation_id: str) -> bool:
    return (getattr(user, "is_authenticated", False) and user.role == ANALYST
            and user.federation_id is not None and user.federation_id == federation_id)


def can_view_report(user, scope) -> bool:
    if scope.kind == "team" and is_team_staff(user, scope.teams[0]):
        return True
    return _is_analyst_of(user, scope.federation_id)


def must_suppress(user) -> bool:
    """Outside the team every small cell is hidden; team staff see their own figures."""
    return getattr(user, "role", None) != "coach" and getattr(user, "role", None) != "team_lead"


def can_use_reports(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in {"coach", "team_lead", ANALYST}


def can_read_report_texts(user, scope) -> bool:
    """The texts are free text: team staff only. Analysts get the figures without them, since
    free text can name a person and they may never see one."""
    return scope.kind == "team" and is_team_staff(user, scope.teams[0])


def can_edit_report_texts(user, team) -> bool:
    """Writing the report is the team lead's (DOMAIN.md §1: team settings, closing reports)."""
    return is_team_staff(user, team) and user.role == "team_lead"


def can_view_federation(user, federation) -> bool:
    """The federation's view (every team side by side): its analysts, and admins (aggregates
    only, suppressed); a team's staff see no other team's figures."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role == "admin" or _is_analyst_of(user, federation.id)
