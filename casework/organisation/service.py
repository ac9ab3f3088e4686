"""Keeping a team's staff periods, budget lines and meetings: every rule in one place, for the pages,
the API and the import alike. A save validates, refuses an overlapping period, writes the record
and its change (`OrganisationChange`: who, when, before, after) and only flushes.
"""

import datetime as dt

import sqlalchemy as sa
from marshmallow import ValidationError

from casework.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from casework.extensions import db
from casework.organisation.models import BudgetLine, Meeting, OrganisationChange, StaffPeriod
from casework.organisation.permissions import can_edit_organisation, can_view_organisation
from casework.organisation.schemas import INPUTS
from casework.teams.models import Team

MODELS = {"staff": StaffPeriod, "budget": BudgetLine, "meeting": Meeting}
# The fields of each kind as the exchange format names them, with the model attribute behind each.
FIELDS = {
    "staff": {"id": "staff_ref", "name": "name", "role": "role", "employer": "employer",
              "extent_percent": "extent_percent", "from": "start_date", "to": "end_date"},
    "budget": {"line": "line", "from": "start_date", "to": "end_date", "decided": "decided", "outcome": "outcome",
               "forecast": "forecast"},
    "meeting": {"date": "date", "kind": "kind"},
}
# Loaded names (schemas.py) that differ from the model attribute.
LOADED_AS = {"start": "start_date", "end": "end_date"}


def load_input(kind: str, raw: dict) -> dict:
    """The checked values of one record (model attribute names), or ValidationFailed with every problem."""
    try:
        loaded = INPUTS[kind]().load(raw)
    except ValidationError as error:
        raise ValidationFailed("organisation.invalid", "The record is not valid.", errors=error.messages) from None
    values = {LOADED_AS.get(k, k): v for k, v in loaded.items()}
    problem = date_problem(kind, values)
    if problem is not None:
        raise problem
    return values


def date_problem(kind: str, values: dict) -> DomainError | None:
    """The rules of dates a schema (and the OpenAPI document) cannot state: a period that ends before
    it starts, a meeting after today."""
    if kind == "meeting":
        if values["date"] > dt.date.today():
            return ValidationFailed("organisation.meeting_in_future", "A meeting cannot be in the future.", "date")
        return None
    if values["end_date"] is not None and values["end_date"] < values["start_date"]:
        return ValidationFailed("organisation.end_before_start", "Must not be before the start date.", "to")
    return None


def exchange_values(kind: str, record) -> dict:
    """A record as the exchange format writes it (dates as ISO text)."""
    values = {}
    for name, attribute in FIELDS[kind].items():
        value = getattr(record, attribute)
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    return values


def periods_overlap(a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None) -> bool:
    """Two inclusive periods share a day; no end is open (still running)."""
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def same_series(kind: str, values: dict) -> tuple:
    """What a period must not overlap within: a staff member's periods, a budget line's periods."""
    return (values["staff_ref"],) if kind == "staff" else (values["line"],)


def overlap_problem(kind: str, values: dict, others) -> DomainError | None:
    """The error for a staff period or budget line overlapping one of `others` ((start, end) pairs)."""
    if kind == "meeting":
        return None
    for start, end in others:
        if periods_overlap(values["start_date"], values["end_date"], start, end):
            if kind == "staff":
                return ValidationFailed("organisation.staff_overlap",
                                        "Overlaps another period of the same staff member.", "from")
            return ValidationFailed("organisation.budget_overlap", "Overlaps another period of the same budget line.",
                                    "from")
    return None


def _series_periods(kind: str, team_id: str, values: dict, leaving_out: str | None) -> list[tuple]:
    model = MODELS[kind]
    column = model.staff_ref if kind == "staff" else model.line
    query = sa.select(model.start_date, model.end_date).where(
        model.team_id == team_id, column == same_series(kind, values)[0])
    if leaving_out is not None:
        query = query.where(model.id != leaving_out)
    return list(db.session.execute(query).all())


def _duplicate_meeting(team_id: str, values: dict, leaving_out: str | None) -> bool:
    query = sa.select(Meeting.id).where(Meeting.team_id == team_id, Meeting.date == values["date"],
                                        Meeting.kind == values["kind"])
    if leaving_out is not None:
        query = query.where(Meeting.id != leaving_out)
    return db.session.scalar(query) is not None


def _refuse_clash(kind: str, team: Team, values: dict, leaving_out: str | None) -> None:
    """A period overlapping another of the same series, or the same meeting twice."""
    if kind == "meeting":
        if _duplicate_meeting(team.id, values, leaving_out):
            raise ValidationFailed("organisation.meeting_duplicate", "This meeting is already recorded.", "date")
        return
    problem = overlap_problem(kind, values, _series_periods(kind, team.id, values, leaving_out))
    if problem is not None:
        raise problem


def save_record(kind: str, team: Team, values: dict, *, user=None, source: str = "page", record=None):
    """Add (or, given `record`, change) one record from checked `values`, keeping the change."""
    _refuse_clash(kind, team, values, record.id if record is not None else None)
    before = exchange_values(kind, record) if record is not None else None
    if record is None:
        record = MODELS[kind](team_id=team.id)
        db.session.add(record)
    for attribute, value in values.items():
        setattr(record, attribute, value)
    db.session.flush()
    after = exchange_values(kind, record)
    if before != after:
        db.session.add(OrganisationChange(team_id=team.id, record_kind=kind, record_id=record.id,
                                          changed_by_id=getattr(user, "id", None), source=source,
                                          before=before, after=after))
        db.session.flush()
    return record


def add_record(user, kind: str, team: Team, raw: dict, source: str = "page"):
    """A page's or the API's new record, after the permission check."""
    _must_edit(user, team)
    return save_record(kind, team, load_input(kind, raw), user=user, source=source)


def change_record(user, kind: str, team: Team, record_id: str, raw: dict, source: str = "page"):
    """A page's or the API's change of one record (every field given again)."""
    _must_edit(user, team)
    record = get_record(kind, team, record_id)
    return save_record(kind, team, load_input(kind, raw), user=user, source=source, record=record)


def get_record(kind: str, team: Team, record_id: str):
    record = db.session.get(MODELS[kind], record_id)
    if record is None or record.team_id != team.id:
        raise NotFound("organisation.not_found", "No such record in this team.")
    return record


def records_of(user, kind: str, team: Team) -> list:
    must_view(user, team)
    return list_records(kind, [team.id])


def list_records(kind: str, team_ids) -> list:
    model = MODELS[kind]
    order = {"staff": (StaffPeriod.staff_ref, StaffPeriod.start_date),
             "budget": (BudgetLine.start_date, BudgetLine.line), "meeting": (Meeting.date, Meeting.kind)}[kind]
    return list(db.session.scalars(sa.select(model).where(model.team_id.in_(list(team_ids))).order_by(*order)))


def changes_of(user, team: Team, limit: int = 200) -> list[OrganisationChange]:
    """The newest changes first: the history the page shows."""
    must_view(user, team)
    return list(db.session.scalars(sa.select(OrganisationChange).where(OrganisationChange.team_id == team.id)
                                   .order_by(OrganisationChange.changed_at.desc()).limit(limit)))


def must_view(user, team: Team) -> None:
    if not can_view_organisation(user, team):
        raise PermissionDenied("organisation.denied", "You may not see this team's organisation records.")


def _must_edit(user, team: Team) -> None:
    if not can_edit_organisation(user, team):
        raise PermissionDenied("organisation.denied_edit", "Only the team's lead may change its organisation records.")
