"""JSON API of the follow-up schedule: `GET /api/v1/schedule` and bookings (flask-smorest)."""

import datetime as dt

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from casework.errors import Coded
from casework.schedule import service
from casework.schemas import CLOCK_TIME, InputSchema, variant
from casework.web import api as web_api

blp = web_api.api_blueprint("schedule_api", __name__,
                         "The caller's follow-up schedule (referrers: their own participants while the "
                         "participant shares information with them; coaches and team leads: their teams) "
                         "and bookings of follow-ups. Analysts, auditors and admins get 403.")

TIME = [validate.Regexp(CLOCK_TIME, error="Not a time (HH:MM)."), validate.Length(max=5)]


class BookingSchema(Schema):
    booking_id = fields.String(metadata={"description": "The id of the `follow_up` event that booked it."})
    participant_id = fields.String()
    booked_on = fields.Date()
    scheduled_for = fields.Date()
    scheduled_time = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "booked (open), held or cancelled"})
    closed_on = fields.Date(allow_none=True)


class EntrySchema(Schema):
    participant_id = fields.String()
    ref = fields.String()
    name = fields.String()
    team = fields.String(metadata={"description": "team slug"})
    team_name = fields.String()
    phase = fields.String()
    referrer_org = fields.String(allow_none=True)
    referrer = fields.String(allow_none=True, metadata={"description": "the current referrer's account label"})
    next_follow_up_due = fields.Date(allow_none=True)
    overdue = fields.Boolean()
    due_within_30_days = fields.Boolean()
    booking = fields.Nested(BookingSchema, allow_none=True)
    held = fields.List(fields.Date(), metadata={"description": "dates of held follow-ups, this enrolment"})


class ScheduleSchema(Schema):
    as_of = fields.Date()
    participants = fields.List(fields.Nested(EntrySchema))


class BookingInSchema(InputSchema):
    participant_id = fields.String(required=True, validate=validate.Length(max=64))
    scheduled_for = fields.Date(required=True)
    scheduled_time = fields.String(required=True, validate=TIME, metadata={"description": "HH:MM; not passed"})


class BookingChangeSchema(InputSchema):
    """Either a new date (and time) to move the booking, or a status to close it."""

    status = fields.String(validate=validate.OneOf(["held", "cancelled"]))
    note = fields.String(validate=validate.Length(max=service.NOTE_MAX))
    held_on = fields.Date()
    confirm_early = fields.Boolean(load_default=False, metadata={
        "description": "Mark held a booking whose day has not come (recorded today); without it a 422 "
                       "follow_up.held_early."})
    scheduled_for = fields.Date()
    scheduled_time = fields.String(validate=TIME)

    @validates_schema
    def _one_change(self, data, **kwargs):
        if ("status" in data) == ("scheduled_for" in data):
            raise ValidationError(Coded("follow_up.status_or_date",
                                        "Give either a status (held, cancelled) or a new scheduled_for."), "status")
        if "status" not in data and ("note" in data or "held_on" in data):
            raise ValidationError(Coded("follow_up.note_needs_status", "A note or held_on goes with a status."), "note")

    @classmethod
    def openapi_variants(cls):
        declared = cls._declared_fields
        status = fields.String(required=True, validate=declared["status"].validators)
        scheduled_for = fields.Date(required=True)
        return {"close": variant("BookingClose", cls, without=("scheduled_for", "scheduled_time"), status=status),
                "move": variant("BookingMove", cls, without=("status", "note", "held_on"), scheduled_for=scheduled_for)}


def _caller():
    user = web_api.current_api_user()
    service.require_referrer_or_staff(user)
    return user


def booking_json(booking: service.Booking, participant_id: str) -> dict:
    return {"booking_id": booking.event_id, "participant_id": participant_id, "booked_on": booking.booked_on,
            "scheduled_for": booking.scheduled_for, "scheduled_time": booking.scheduled_time,
            "status": booking.outcome or "booked", "closed_on": booking.closed_on}


def entry_json(entry: service.Entry) -> dict:
    p = entry.participant
    return {
        "participant_id": p.id, "ref": p.ref, "name": entry.name, "team": p.team.slug, "team_name": p.team.name,
        "phase": entry.state.phase, "referrer_org": entry.referrer_org, "referrer": entry.referrer_label,
        "next_follow_up_due": entry.next_due, "overdue": entry.overdue, "due_within_30_days": entry.due_soon,
        "booking": booking_json(entry.open_booking, p.id) if entry.open_booking else None,
        "held": entry.held,
    }


def _booking_result(user, event) -> dict:
    entry = service.entry_for(user, event.participant_id)
    booking = next(b for b in entry.bookings if b.event_id == event.id)
    return booking_json(booking, event.participant_id)


@blp.route("/schedule")
class Schedule(MethodView):
    @blp.response(200, ScheduleSchema)
    @web_api.error_responses(401, 403)
    def get(self):
        """The caller's schedule: overdue first, then by next due date."""
        user = _caller()
        entries = service.with_names(service.schedule_for(user), user, "follow_up_schedule")
        return {"as_of": dt.date.today(), "participants": [entry_json(e) for e in entries]}


@blp.route("/schedule/bookings")
class Bookings(MethodView):
    @blp.arguments(BookingInSchema)
    @blp.response(201, BookingSchema)
    @web_api.error_responses(400, 401, 403, 404, 409, 422)
    def post(self, data):
        """Book the next follow-up of an enrolled participant in the caller's schedule."""
        user = _caller()
        event = service.book(user, data["participant_id"], data["scheduled_for"], data.get("scheduled_time"))
        return _booking_result(user, event)


@blp.route("/schedule/bookings/<booking_id>")
class BookingItem(MethodView):
    @blp.arguments(BookingChangeSchema)
    @blp.response(200, BookingSchema)
    @web_api.error_responses(400, 401, 403, 404, 409, 422)
    def patch(self, data, booking_id):
        """Move an open booking to a new date, or mark it held or cancelled (with a short note)."""
        user = _caller()
        if "status" in data:
            service.close(user, booking_id, data["status"], data.get("note"), data.get("held_on"),
                          confirm_early=data["confirm_early"])
            entry, booking = service.find_booking(user, booking_id, dt.date.today())
            return booking_json(booking, entry.participant.id)
        event = service.reschedule(user, booking_id, data["scheduled_for"], data.get("scheduled_time"))
        return _booking_result(user, event)
