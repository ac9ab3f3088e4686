"""Registering a new person at the first contact: the participant and their first event together.

The web form and the API both call `register_at_intake`, so the rule (a person enters the log at
a studiebesök or with a referral) lives here only.
"""

import sqlalchemy as sa
from marshmallow import ValidationError, fields, validate, validates_schema

from casework.errors import Coded, NeedsConfirmation, ValidationFailed
from casework.events.facts import personnummer_warnings
from casework.events.schemas import step_variants
from casework.events.service import append_event
from casework.extensions import db
from casework.participants import personnummer as pnr
from casework.participants.models import Participant
from casework.participants.schemas import ParticipantInputSchema, named_personal_schema
from casework.participants.service import register_participant
from casework.schemas import InputSchema, StrictBoolean, variant
from casework.teams.models import Team

FIRST_STEPS = ("study_visit", "referral_received")


class FirstStepSchema(InputSchema):
    """The first step: a study visit or a received referral, with its type's payload as `data`."""

    multiline_fields = ("note",)
    payload_fields = ("data",)
    openapi_discriminator = "type"

    @classmethod
    def openapi_variants(cls):
        return step_variants(cls, FIRST_STEPS)

    type = fields.String(required=True, validate=validate.OneOf(FIRST_STEPS))
    date = fields.Date(required=True)
    data = fields.Dict(keys=fields.String(validate=validate.Length(max=60)), load_default=dict)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class IntakeSchema(ParticipantInputSchema):
    first_step = fields.Nested(FirstStepSchema, required=True)
    confirm_warnings = StrictBoolean(load_default=False, metadata={
        "description": "Register despite a gender that contradicts the personnummer's gender digit."})

    @classmethod
    def openapi_variants(cls):
        """As a participant line, except that a person who is not anonymous must have a name."""
        return {**super().openapi_variants(),
                "named": variant("IntakeNamed", cls, anonymous=StrictBoolean(validate=validate.OneOf([False])),
                                 personal=fields.Nested(named_personal_schema(), required=True))}

    @validates_schema
    def _anonymous_by_choice(self, data, **kwargs):
        """A person registered without a name is anonymous for good only if the user says so."""
        if not data.get("anonymous") and not (data.get("personal") or {}).get("name"):
            raise ValidationError(Coded("participant.name_or_anonymous",
                                        'Give a name, or state that the person is anonymous ("anonymous": true).'),
                                  "personal")


def load_intake(raw: dict) -> dict:
    try:
        return IntakeSchema().load(raw)
    except ValidationError as exc:
        raise ValidationFailed("participant.registration_invalid",
                               "Invalid registration.", errors=exc.messages) from None


def register_at_intake(team: Team, raw: dict, user) -> Participant:
    """Create the participant and append its first step; raises and leaves the caller to roll back."""
    data = load_intake(raw)
    step = data.pop("first_step")
    confirmed = data.pop("confirm_warnings")
    _lock_team(team)
    participant = register_participant(team, data)
    if not confirmed:
        _check_warnings(data)  # after the errors (a taken personnummer…), which no confirmation mends
    append_event(participant, step["type"], step["date"], step["data"], step["note"], user=user)
    return participant


def _check_warnings(data: dict) -> None:
    """A gender against the personnummer's gender digit is confirmed by the user (a birth year
    against it is an error: `register_participant`)."""
    number = data["personal"].get("personnummer")
    normalised = pnr.normalise(number) if number else None
    warnings = personnummer_warnings(normalised, data)
    if "gender" in warnings:
        raise NeedsConfirmation.of({"gender": warnings["gender"]})


def _lock_team(team: Team) -> None:
    """Serialise registrations in one team until the transaction ends, so that two at once neither
    take the same generated ref nor both pass the duplicate-personnummer check (PostgreSQL row
    lock; on SQLite a request holds the database's write lock from BEGIN, see casework.db)."""
    db.session.execute(sa.select(Team.id).where(Team.id == team.id).with_for_update())
