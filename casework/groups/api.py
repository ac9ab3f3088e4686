"""Group sessions in the JSON API: record one, list a team's, read one, correct one.

For the team's coaches and team leads; another team's session is not found (404). Notes are not
returned: they are in each attendee's timeline, where reading them is access-logged.
"""

from casework.auth.teams_api import visible_team
from casework.errors import PermissionDenied
from casework.groups.permissions import can_record_group_session, can_view_group_session
from casework.groups.schemas import (
    GroupSessionCorrectionSchema,
    GroupSessionInputSchema,
    GroupSessionOutSchema,
    GroupSessionQuerySchema,
)
from casework.groups.service import (
    attendances,
    correct_group_session,
    get_group_session,
    record_group_session,
    sessions_of,
)
from casework.web.api import api_blueprint, current_api_user, error_responses

blp = api_blueprint("api_group_sessions", __name__,
                    "Group sessions (DOMAIN.md §2 `group_session`): coaches and team leads of the team.")


@blp.route("/group-sessions", methods=["POST"])
@blp.arguments(GroupSessionInputSchema)
@blp.response(201, GroupSessionOutSchema)
@error_responses(401, 403, 404)
def record(data: dict):
    """Record a session and an `activity` in each attendee's log; refused (422, nothing written) on bad input."""
    team = visible_team(data["team"])
    user = current_api_user()
    if not can_record_group_session(user, team):
        raise PermissionDenied("group_session.denied", "You may not record group sessions for this team.")
    session = record_group_session(team, day=data["date"], kind=data["kind"], hours=data["hours"],
                                   attendee_ids=data["attendees"], leader_id=data["leader"], note=data["note"],
                                   user=user, ext_id=data["id"])
    return session_out(session)


@blp.route("/group-sessions")
@blp.arguments(GroupSessionQuerySchema, location="query")
@blp.response(200, GroupSessionOutSchema(many=True))
@error_responses(401, 403, 404)
def list_sessions(query: dict):
    """A team's sessions, newest first, within `from`–`to` when given."""
    team = visible_team(query["team"])
    if not can_view_group_session(current_api_user(), team):
        raise PermissionDenied("group_session.denied", "You may not see this team's group sessions.")
    return [session_out(s) for s in sessions_of(team, query["start"], query["end"])]


@blp.route("/group-sessions/<session_id>")
@blp.response(200, GroupSessionOutSchema)
@error_responses(401, 403, 404)
def read(session_id: str):
    return session_out(visible_session(session_id, can_view_group_session))


@blp.route("/group-sessions/<session_id>/correction", methods=["POST"])
@blp.arguments(GroupSessionCorrectionSchema)
@blp.response(201, GroupSessionOutSchema)
@error_responses(401, 403, 404)
def correct(data: dict, session_id: str):
    """Change the attendees or hours with a reason (`correction` events; nothing is edited); no attendees voids it."""
    session = visible_session(session_id, can_record_group_session)
    correct_group_session(session, reason=data["reason"], attendee_ids=data["attendees"], hours=data["hours"],
                          user=current_api_user())
    return session_out(session)


def visible_session(session_id: str, may):
    """The session by id, 404 also for another team's; 403 for a role without the right."""
    session = get_group_session(session_id)
    team = visible_team(session.team.slug)
    if not may(current_api_user(), team):
        raise PermissionDenied("group_session.denied", "You may not see this team's group sessions.")
    return session


def session_out(session) -> dict:
    attended = attendances(session)
    first = next(iter(attended.values()), None)
    return {"id": session.id, "ext_id": session.ext_id, "team": session.team.slug, "date": session.date,
            "kind": session.kind, "hours": first.data.get("hours") if first else None, "leader": session.leader_id,
            "attendees": sorted(attended), "voided": not attended, "recorded_at": session.recorded_at}
