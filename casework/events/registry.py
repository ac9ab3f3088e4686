"""The event types of DOMAIN.md §2/§6: one marshmallow payload schema per type.

Unknown types, fields and values are refused. Fields listed in `personal` are personal data:
they are split off the payload and stored encrypted, never in the clear `data` column.
"""

import copy
from dataclasses import dataclass, field
from functools import cache

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from casework.errors import Coded
from casework.events import instruments
from casework.schemas import (
    BirthYear,
    HourMinute,
    InputSchema,
    NumberOrNull,
    PositiveUpTo,
    StrictBoolean,
    Unique,
    WholeNumber,
    variant,
)
from casework.vocab import (
    CONSENT_SCOPES,
    EDUCATION_LEVELS,
    EXIT_CATEGORIES,
    EXIT_SUBTYPES,
    FOLLOW_UP_STATUSES,
    GENDERS,
    INCOME_SOURCES,
    POST_EXIT_MONTHS,
    POST_EXIT_STATUSES,
    REFERRER_ORGS,
    STUDY_VISIT_MODES,
    WORK_TRAINING_KINDS,
)


def one_of(vocabulary) -> validate.OneOf:
    return validate.OneOf(list(vocabulary))


def income_list(*, min_length: int = 0, **kwargs) -> fields.List:
    return fields.List(fields.String(validate=one_of(INCOME_SOURCES)),
                       validate=[validate.Length(min=min_length), Unique()], **kwargs)


class Payload(InputSchema):
    class Meta:
        ordered = True


class Empty(Payload):
    pass


class ReferrerPerson(Payload):
    name = fields.String(validate=validate.Length(min=1, max=200))
    email = fields.Email(validate=validate.Length(max=254))


class StudyVisit(Payload):
    referrer_present = StrictBoolean(load_default=False)
    mode = fields.String(validate=one_of(STUDY_VISIT_MODES), load_default="physical")


class ReferralReceived(Payload):
    referrer_org = fields.String(required=True, validate=one_of(REFERRER_ORGS))
    income_sources = income_list(load_default=list)
    referrer = fields.Nested(ReferrerPerson)


class ReferrerChanged(Payload):
    referrer_org = fields.String(required=True, validate=one_of(REFERRER_ORGS))
    referrer = fields.Nested(ReferrerPerson, required=True)


class Enrolled(Payload):
    consents = fields.List(fields.String(validate=one_of(CONSENT_SCOPES)), validate=Unique(), load_default=list)


class FollowUp(Payload):
    status = fields.String(required=True, validate=one_of(FOLLOW_UP_STATUSES))
    scheduled_for = fields.Date()
    scheduled_time = HourMinute()

    @validates_schema
    def _booking_needs_date(self, data, **kwargs):
        if data.get("status") == "booked" and not data.get("scheduled_for"):
            raise ValidationError(Coded("follow_up.date_required", "A booked follow-up needs a date."), "scheduled_for")
        if data.get("status") != "booked" and ("scheduled_for" in data or "scheduled_time" in data):
            raise ValidationError(Coded("follow_up.date_only_when_booked",
                                        "Only a booked follow-up has a scheduled date."), "scheduled_for")

    @classmethod
    def openapi_variants(cls):
        closed = [status for status in FOLLOW_UP_STATUSES if status != "booked"]
        return {
            "booked": variant("BookedFollowUp", cls, status=fields.String(required=True, validate=validate.OneOf(["booked"])),
                              scheduled_for=fields.Date(required=True)),
            "closed": variant("ClosedFollowUp", cls, without=("scheduled_for", "scheduled_time"),
                              status=fields.String(required=True, validate=validate.OneOf(closed))),
        }


MAX_GROUP_HOURS = 12


class Activity(Payload):
    """An activity; one of a group session (`casework.groups`) names it and its hours."""

    kind = fields.String(required=True, validate=[validate.Length(min=1, max=40), validate.Regexp(r"^[a-z0-9_]+$")])
    attended = StrictBoolean(load_default=True)
    group_session_id = fields.String(validate=validate.Length(min=1, max=36))
    hours = NumberOrNull(validate=PositiveUpTo(MAX_GROUP_HOURS))

    @classmethod
    def openapi_variants(cls):
        """Through the API an activity never names a group session: attendances are written by the
        group service alone (`group_session.attendance_via_session`)."""
        return {"activity": variant("ActivityStep", cls, without=("group_session_id", "hours"))}

    @validates_schema
    def _hours_belong_to_a_session(self, data, **kwargs):
        if ("hours" in data) != ("group_session_id" in data):
            raise ValidationError(Coded("activity.hours_with_session",
                                        "Hours and a group session are given together."), "hours")


class WorkTrainingStarted(Payload):
    kind = fields.String(required=True, validate=one_of(WORK_TRAINING_KINDS))
    extent_percent = WholeNumber(required=True, validate=validate.Range(min=1, max=100))
    workplace = fields.String(validate=validate.Length(min=1, max=200))


class IncomeChanged(Payload):
    income_sources = income_list(required=True, min_length=1)


class Survey(Payload):
    """Answers keyed by question, on the instrument's scale (`instruments`); or, in logs recorded
    before the instruments had questions, a bare `score` (legacy: read and reported, never refused)."""

    instrument = fields.String(required=True, validate=validate.OneOf(list(instruments.ALL_IDS)))
    answers = fields.Dict(keys=fields.String(validate=validate.Length(max=40)), values=NumberOrNull(allow_none=True))
    score = fields.Float(allow_nan=False)

    @validates_schema
    def _answers_or_score(self, data, **kwargs):
        if ("answers" in data) == ("score" in data):
            raise ValidationError(Coded("assessment.answers_or_score", "Give either answers or a score."), "score")
        if "answers" in data and "instrument" in data:
            try:
                instruments.check_answers(data["instrument"], data["answers"])
            except ValidationError as error:
                if "instrument" in error.messages:
                    raise
                raise ValidationError(error.messages, "answers") from None

    @post_load
    def _ratings_rounded(self, data, **kwargs):
        if "answers" in data:
            data["answers"] = instruments.normalised(data["instrument"], data["answers"])
        return data

    @classmethod
    def openapi_variants(cls):
        score = cls._declared_fields["score"]
        return {
            **{key: _survey_variant(key) for key in instruments.INSTRUMENTS},
            "legacy_score": variant("SurveyLegacyScore", cls, without=("answers",), score=_required(score)),
        }


@cache
def _survey_variant(instrument_id: str) -> type[Schema]:
    """A survey of one instrument, its answers one property per question."""
    name = "Survey" + "".join(part.title() for part in instrument_id.split("_"))
    return variant(name, Survey, without=("score",),
                   instrument=fields.String(required=True, validate=validate.OneOf([instrument_id])),
                   answers=fields.Nested(instruments.answers_schema(instrument_id), required=True))


class Exited(Payload):
    category = fields.String(required=True, validate=one_of(EXIT_CATEGORIES))
    subtype = fields.String(validate=validate.Length(max=60))
    active_jobseeker = StrictBoolean(load_default=False)
    transfer = StrictBoolean(load_default=False)
    income_sources = income_list(load_default=list)
    closing_document = StrictBoolean(load_default=False)

    @validates_schema
    def _subtype_fits_category(self, data, **kwargs):
        subtype = data.get("subtype")
        if subtype is not None and subtype not in EXIT_SUBTYPES.get(data.get("category"), {}):
            raise ValidationError(Coded("exit.subtype_mismatch", "Not a subtype of this exit category."), "subtype")

    openapi_discriminator = "category"

    @classmethod
    def openapi_variants(cls):
        return {category: _exit_variant(category) for category in EXIT_CATEGORIES}


@cache
def _exit_variant(category: str) -> type[Schema]:
    """Exited with one category and only that category's subtypes."""
    subtypes = list(EXIT_SUBTYPES.get(category, {}))
    only_category = fields.String(required=True, validate=validate.OneOf([category]))
    name = "Exited" + "".join(part.title() for part in category.split("_"))
    if not subtypes:
        return variant(name, Exited, without=("subtype",), category=only_category)
    return variant(name, Exited, category=only_category, subtype=fields.String(validate=validate.OneOf(subtypes)))


def _required(field: fields.Field) -> fields.Field:
    copied = copy.copy(field)
    copied.required = True
    return copied


class PostExitFollowUp(Payload):
    months_after = WholeNumber(required=True, validate=validate.OneOf(POST_EXIT_MONTHS))
    status = fields.String(required=True, validate=one_of(POST_EXIT_STATUSES))


class Consent(Payload):
    scope = fields.String(required=True, validate=one_of(CONSENT_SCOPES))


class Correction(Payload):
    multiline_fields = ("reason",)

    voids = fields.String(required=True, validate=validate.Length(min=1, max=64))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class FactsCorrected(Payload):
    """New values of the facts recorded wrongly (only those named change), and why."""

    multiline_fields = ("reason",)
    openapi_min_properties = 2  # the reason and at least one fact (`_names_a_fact`)

    gender = fields.String(validate=one_of(GENDERS))
    birth_year = WholeNumber(validate=BirthYear())
    education = fields.String(validate=one_of(EDUCATION_LEVELS))
    support_months_before = WholeNumber(validate=validate.Range(min=0, max=600))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))

    @validates_schema
    def _names_a_fact(self, data, **kwargs):
        if not any(name in data for name in ("gender", "birth_year", "education", "support_months_before")):
            raise ValidationError(Coded("facts.none_named", "Name at least one fact to correct."), "gender")


class IdentifiedPerson(Payload):
    """The personal data an anonymous participant consents to (as a participant's `personal`)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    personnummer = fields.String(validate=validate.Length(min=10, max=13))
    phone = fields.String(validate=validate.Length(max=40))
    email = fields.Email(validate=validate.Length(max=254))
    address = fields.String(validate=validate.Length(max=300))


class Identified(Payload):
    """`personal` is left out only by an export of a person whose data it may not carry (erased,
    no `statistics` consent); a user identifying someone gives it (`participants.identification`)."""

    personal = fields.Nested(IdentifiedPerson)
    consents = fields.List(fields.String(validate=one_of(CONSENT_SCOPES)), validate=Unique(), load_default=list)


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    schema: type[Schema]
    personal: frozenset[str] = field(default_factory=frozenset)
    recordable: bool = True  # offered in the coach's forms


EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in [
        EventType("study_visit", "Studiebesök", StudyVisit),
        EventType("referral_received", "Remiss mottagen", ReferralReceived, frozenset({"referrer"})),
        EventType("referral_withdrawn", "Remiss återtagen", Empty),
        EventType("referrer_changed", "Ny remittent", ReferrerChanged, frozenset({"referrer"})),
        EventType("enrolled", "Inskrivning", Enrolled),
        EventType("trial_completed", "Prövotid genomförd", Empty),
        EventType("assessment", "Kartläggning", Empty),
        EventType("action_plan", "Handlingsplan", Empty),
        EventType("activity", "Aktivitet", Activity),
        EventType("half_year_review", "Halvårsavstämning", Empty),
        EventType("follow_up", "Uppföljning med remittent", FollowUp),
        EventType("work_training_started", "Arbetsträning startad", WorkTrainingStarted, frozenset({"workplace"})),
        EventType("work_training_ended", "Arbetsträning avslutad", Empty),
        EventType("income_changed", "Ändrad försörjning", IncomeChanged),
        EventType("survey", "Enkät / skattning", Survey),
        EventType("exited", "Avslut", Exited),
        EventType("post_exit_follow_up", "Uppföljning efter avslut", PostExitFollowUp),
        EventType("consent_given", "Samtycke lämnat", Consent),
        EventType("consent_withdrawn", "Samtycke återkallat", Consent),
        EventType("facts_corrected", "Rättade uppgifter", FactsCorrected, frozenset({"reason"})),
        EventType("identified", "Identifiering", Identified, frozenset({"personal"})),
        EventType("correction", "Rättelse", Correction, frozenset({"reason"}), recordable=False),
        EventType("erased", "Personuppgifter raderade", Empty, recordable=False),
    ]
}


def event_type(name: str) -> EventType:
    try:
        return EVENT_TYPES[name]
    except KeyError:
        raise ValidationError({"type": [Coded("event.unknown_type", f"Unknown event type {name!r}.")]}) from None


@cache
def _schema(type_name: str) -> Schema:
    """One instance per type: marshmallow schemas keep no state between loads, and making one is slow."""
    return event_type(type_name).schema()


def validate_payload(type_name: str, data: dict | None) -> tuple[dict, dict]:
    """Validate a payload; return (public data as JSON-ready values, personal data).

    Raises marshmallow.ValidationError whose messages name the fields at fault.
    """
    schema = _schema(type_name)
    if data is not None and not isinstance(data, dict):
        raise ValidationError(Coded("event.data_not_object", "Must be an object."), "data")
    loaded = schema.load(data or {})
    dumped = schema.dump(loaded)
    personal_names = event_type(type_name).personal
    public = {k: v for k, v in dumped.items() if k not in personal_names and v is not None}
    personal = {k: v for k, v in dumped.items() if k in personal_names and v not in (None, {}, "")}
    return public, personal
