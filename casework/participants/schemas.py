from functools import cache

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from casework.errors import Coded
from casework.schemas import BirthYear, InputSchema, StrictBoolean, WholeNumber, variant
from casework.vocab import EDUCATION_LEVELS, GENDERS


class PersonalSchema(InputSchema):
    """Personal data: encrypted at rest, never logged, never in a URL."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    personnummer = fields.String(validate=validate.Length(min=10, max=13))
    phone = fields.String(validate=validate.Length(max=40))
    email = fields.Email(validate=validate.Length(max=254))
    address = fields.String(validate=validate.Length(max=300))


class FactsSchema(InputSchema):
    """Statistical facts: kept in clear, never identifying alone."""

    gender = fields.String(required=True, validate=validate.OneOf(list(GENDERS)))
    birth_year = WholeNumber(required=True, validate=BirthYear())
    education = fields.String(load_default="unknown", validate=validate.OneOf(list(EDUCATION_LEVELS)))
    support_months_before = WholeNumber(load_default=None, allow_none=True,
                                           validate=validate.Range(min=0, max=600))


class ParticipantInputSchema(FactsSchema):
    ref = fields.String(validate=[validate.Length(min=1, max=64), validate.Regexp(r"^[A-Za-z0-9_.\-]+$")])
    anonymous = StrictBoolean(load_default=False)
    personal = fields.Nested(PersonalSchema, load_default=dict)

    @post_load
    def _without_personal_data_is_anonymous(self, data, **kwargs):
        """The exchange format has no flag: a participant with no personal data is anonymous."""
        data["personal"] = {k: v for k, v in data.get("personal", {}).items() if v}
        data["anonymous"] = data.get("anonymous") or not data["personal"]
        return data

    @validates_schema
    def _anonymous_has_no_personal_data(self, data, **kwargs):
        if data.get("anonymous") and any(data.get("personal", {}).values()):
            raise ValidationError(Coded("participant.anonymous_personal",
                                        "An anonymous participant has no name, personnummer or contact details."),
                                  "personal")

    @classmethod
    def openapi_variants(cls):
        """Anonymous (`anonymous: true`, personal fields empty at most) or not (the flag false or left out)."""
        return {
            "anonymous": variant(f"{cls.__name__.removesuffix('Schema')}Anonymous", cls,
                                 anonymous=StrictBoolean(required=True, validate=validate.OneOf([True])),
                                 personal=fields.Nested(_empty_personal_schema())),
            "named": variant(f"{cls.__name__.removesuffix('Schema')}Named", cls,
                             anonymous=StrictBoolean(validate=validate.OneOf([False]))),
        }


@cache
def named_personal_schema() -> type[Schema]:
    """The personal fields of a person registered by name: the name is required."""
    return variant("NamedPersonal", PersonalSchema,
                   name=fields.String(required=True, validate=validate.Length(min=1, max=200)))


@cache
def _empty_personal_schema() -> type[Schema]:
    """The personal fields an anonymous participant may send: only those that may be empty, empty."""
    declared = PersonalSchema._declared_fields
    empty_allowed = [name for name, f in declared.items() if not isinstance(f, fields.Email) and _min_length(f) == 0]
    return variant("EmptyPersonal", PersonalSchema, without=tuple(n for n in declared if n not in empty_allowed),
                   **{name: fields.String(validate=validate.Length(max=0)) for name in empty_allowed})


def _min_length(field: fields.Field) -> int:
    return max([v.min or 0 for v in field.validators if isinstance(v, validate.Length)], default=0)


PHASES = ("visited", "queued", "withdrawn", "in_trial", "enrolled", "exited")


class ParticipantListQuerySchema(InputSchema):
    phase = fields.String(validate=validate.OneOf(PHASES), metadata={"description": "Only this phase."})


class ParticipantRowSchema(Schema):
    """A row of the team's list: the name is decrypted (and the read access-logged)."""

    id = fields.String(required=True)
    ref = fields.String(required=True)
    name = fields.String(required=True)
    anonymous = fields.Boolean(required=True)
    phase = fields.String(allow_none=True, required=True)
    phase_label = fields.String(required=True)
    next_follow_up = fields.Date(allow_none=True, required=True)


class PersonalOutSchema(Schema):
    name = fields.String(allow_none=True)
    personnummer = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    address = fields.String(allow_none=True)


class BookingOutSchema(Schema):
    date = fields.Date(required=True)
    time = fields.String(allow_none=True)


class EpisodeOutSchema(Schema):
    enrolled_on = fields.Date(required=True)
    trial_completed_on = fields.Date(allow_none=True)
    exited_on = fields.Date(allow_none=True)
    exit_category = fields.String(allow_none=True)


class ParticipantStateSchema(Schema):
    """Derived from the log, never stored."""

    phase = fields.String(allow_none=True)
    phase_label = fields.String()
    first_contact_on = fields.Date(allow_none=True)
    referral_on = fields.Date(allow_none=True)
    referrer_org = fields.String(allow_none=True)
    income_at_referral = fields.List(fields.String())
    income_sources = fields.List(fields.String())
    consents = fields.List(fields.String())
    enrolled_on = fields.Date(allow_none=True)
    exited_on = fields.Date(allow_none=True)
    next_follow_up_due = fields.Date(allow_none=True)
    next_booking = fields.Nested(BookingOutSchema, allow_none=True)
    work_training_since = fields.Date(allow_none=True)
    episodes = fields.List(fields.Nested(EpisodeOutSchema))


class ParticipantOutSchema(FactsSchema):
    id = fields.String(required=True)
    ref = fields.String(required=True)
    team = fields.String(required=True, metadata={"description": "The team's slug."})
    anonymous = fields.Boolean(required=True)
    erased = fields.Boolean(required=True)
    pseudonym = fields.String(allow_none=True, metadata={"description": "Shown instead of the name once erased."})
    personal = fields.Nested(PersonalOutSchema, allow_none=True, metadata={
        "description": "Decrypted personal data (the read is access-logged); null when anonymous, erased or not read."})
    state = fields.Nested(ParticipantStateSchema, required=True)
