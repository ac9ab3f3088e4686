"""Participants in the JSON API: the team's list, registration with the first step, one record.

Participants are addressed by id, or by their ref within the caller's teams; personal data never
appears in a URL (there is no search by name or personnummer through a query string).
"""

from flask import request

from casework.auth.permissions import can_list_participants, can_read_participant, can_register_participant
from casework.auth.teams_api import visible_team
from casework.errors import PermissionDenied
from casework.events.service import state_of
from casework.events.state import ParticipantState
from casework.participants.intake import IntakeSchema, register_at_intake
from casework.participants.models import Participant
from casework.participants.overview import team_overview
from casework.participants.schemas import ParticipantListQuerySchema, ParticipantOutSchema, ParticipantRowSchema
from casework.participants.service import participant_for, personal_data
from casework.web.api import api_blueprint, current_api_user, error_responses, require_case_role

blp = api_blueprint("api_participants", __name__, "Participants of the caller's teams (coaches and team leads).")


@blp.route("/teams/<slug>/participants")
@blp.arguments(ParticipantListQuerySchema, location="query")
@blp.response(200, ParticipantRowSchema(many=True))
@error_responses(401, 403, 404)
def list_participants(query: dict, slug: str):
    """The team's participants, active first; the names shown are written to the access log."""
    user = current_api_user()
    require_case_role(user)
    team = visible_team(slug)
    if not can_list_participants(user, team):
        raise PermissionDenied("participant.list_denied", "You may not list this team's participants.")
    rows = team_overview(team, user, phase=query.get("phase"))
    return [{"id": r.participant.id, "ref": r.participant.ref, "name": r.name, "anonymous": r.participant.anonymous,
             "phase": r.phase, "phase_label": r.state.phase_label, "next_follow_up": r.next_follow_up}
            for r in rows]


@blp.route("/teams/<slug>/participants", methods=["POST"])
@blp.arguments(IntakeSchema)
@blp.response(201, ParticipantOutSchema)
@error_responses(401, 403, 404, 409)
def create_participant(_validated: dict, slug: str):
    """Register a person with their first step (a study visit or a referral).

    The body is validated against the schema here, and again by the intake service shared with
    the web form, which gets the body as sent.
    """
    user = current_api_user()
    require_case_role(user)
    team = visible_team(slug)
    if not can_register_participant(user, team):
        raise PermissionDenied("participant.register_denied", "You may not register participants in this team.")
    participant = register_at_intake(team, request.get_json(), user)
    return participant_out(participant, state_of(participant), personal=None)


@blp.route("/participants/<ident>")
@blp.response(200, ParticipantOutSchema)
@error_responses(401, 403, 404)
def read_participant(ident: str):
    """Facts, decrypted personal data (access-logged) and the state derived from the log."""
    user = current_api_user()
    participant = load_participant(ident, user)
    if not can_read_participant(user, participant):
        raise PermissionDenied("participant.read_denied", "You may not read this participant.")
    personal = None
    if not participant.anonymous and participant.erased_at is None:
        personal = personal_data(participant, user, "api_participant").to_dict()
    return participant_out(participant, state_of(participant), personal=personal)


def load_participant(ident: str, user) -> Participant:
    """By id or ref, within the caller's own teams only: another team's participant is not found (404)."""
    require_case_role(user)
    return participant_for(user, ident)


def participant_out(participant: Participant, state: ParticipantState, *, personal: dict | None) -> dict:
    erased = participant.erased_at is not None
    return {
        "id": participant.id, "ref": participant.ref, "team": participant.team.slug,
        "anonymous": participant.anonymous, "erased": erased, "pseudonym": participant.pseudonym if erased else None,
        "gender": participant.gender, "birth_year": participant.birth_year, "education": participant.education,
        "support_months_before": participant.support_months_before,
        "personal": personal, "state": state_out(state),
    }


def state_out(state: ParticipantState) -> dict:
    booking = state.next_booking
    return {
        "phase": state.phase, "phase_label": state.phase_label, "first_contact_on": state.first_contact_on,
        "referral_on": state.referral_on, "referrer_org": state.referrer_org,
        "income_at_referral": state.income_at_referral, "income_sources": state.income_sources,
        "consents": sorted(state.consents), "enrolled_on": state.enrolled_on, "exited_on": state.exited_on,
        "next_follow_up_due": state.next_follow_up_due,
        "next_booking": {"date": booking[0], "time": booking[1]} if booking else None,
        "work_training_since": state.work_training_since,
        "episodes": [{"enrolled_on": e.enrolled_on, "trial_completed_on": e.trial_completed_on,
                      "exited_on": e.exited_on, "exit_category": (e.exit or {}).get("category")}
                     for e in state.episodes],
    }
