import datetime as dt

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from casework.vocab import EDUCATION_LEVELS, GENDERS


def _birth_year(value: int) -> None:
    if not 1900 <= value <= dt.date.today().year - 14:
        raise ValidationError("Not a plausible birth year.")


class PersonalSchema(Schema):
    """Personal data: encrypted at rest, never logged, never in a URL."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    personnummer = fields.String(validate=validate.Length(min=10, max=13))
    phone = fields.String(validate=validate.Length(max=40))
    email = fields.Email()
    address = fields.String(validate=validate.Length(max=300))


class FactsSchema(Schema):
    """Statistical facts: kept in clear, never identifying alone."""

    gender = fields.String(required=True, validate=validate.OneOf(list(GENDERS)))
    birth_year = fields.Integer(required=True, validate=_birth_year)
    education = fields.String(load_default="unknown", validate=validate.OneOf(list(EDUCATION_LEVELS)))
    support_months_before = fields.Integer(load_default=None, allow_none=True,
                                           validate=validate.Range(min=0, max=600))


class ParticipantInputSchema(FactsSchema):
    ref = fields.String(validate=[validate.Length(min=1, max=64), validate.Regexp(r"^[A-Za-z0-9_.\-]+$")])
    anonymous = fields.Boolean(load_default=False)
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
            raise ValidationError("An anonymous participant has no name, personnummer or contact details.",
                                  "personal")
