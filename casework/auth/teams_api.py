"""GET /api/v1/teams and /api/v1/teams/<slug>: the teams the caller may see."""

from casework.auth.permissions import can_see_team, visible_teams_query
from casework.errors import NotFound
from casework.extensions import db
from casework.teams.models import Team
from casework.teams.schemas import TeamOutSchema
from casework.teams.service import get_team
from casework.web.api import api_blueprint, current_api_user, error_responses

blp = api_blueprint("api_teams", __name__, "Teams: own teams for staff, the federation's for analysts, all for admins.")


@blp.route("/teams")
@blp.response(200, TeamOutSchema(many=True))
@error_responses(401)
def list_teams():
    """The teams the caller may see."""
    return list(db.session.scalars(visible_teams_query(current_api_user())))


@blp.route("/teams/<slug>")
@blp.response(200, TeamOutSchema)
@error_responses(401, 404)
def read_team(slug: str):
    """One team, by slug; a team the caller may not see is not found."""
    return visible_team(slug)


def visible_team(slug: str) -> Team:
    """The team by slug, or 404 also when it exists but the caller may not see it."""
    user = current_api_user()
    try:
        team = get_team(slug)
    except NotFound:
        team = None
    if team is None or not can_see_team(user, team):
        raise NotFound("team.not_found", "No such team.", "team")
    return team
