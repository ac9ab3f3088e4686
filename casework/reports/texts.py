"""The text fields of a team's report: saved per team and period as versions (who and when).

Teams write their texts after the period has ended, and a period is frozen the day after it ends,
so writing goes on after the freeze: the snapshot's texts are the versions written up to its
freezing (`texts_at`), and a later version shows as a text changed since the freeze, as a later
correction of the log shows as a changed figure."""

import datetime as dt

import sqlalchemy as sa
from marshmallow import ValidationError, fields

from casework.errors import Coded, PermissionDenied, ValidationFailed, flatten_messages
from casework.extensions import db
from casework.reports.document import text_fields
from casework.reports.models import ReportText
from casework.reports.periods import Period
from casework.reports.permissions import can_edit_report_texts
from casework.reports.service import Scope
from casework.schemas import InputSchema

TEXT_MAX_LENGTH = 4000


def _not_too_long(value: str) -> None:
    if len(value) > TEXT_MAX_LENGTH:
        raise ValidationError(Coded("report_text.too_long", f"At most {TEXT_MAX_LENGTH} characters.",
                                    max=TEXT_MAX_LENGTH))


class ReportTextsSchema(InputSchema):
    """One free-text field per key of `text_fields()`; each may be empty."""

    multiline_fields = tuple(text_fields())

    class Meta:
        # Dots would make marshmallow nest the loaded values: the attribute is the key with "__".
        include = {key.replace(".", "__"): fields.String(data_key=key, load_default="", validate=_not_too_long)
                   for key in text_fields()}


def current_texts(scope: Scope, period: Period) -> dict[str, str]:
    """The newest text of each field (readers decide whether they may see them)."""
    return {key: row.body for key, row in text_versions(scope, period).items()}


def text_versions(scope: Scope, period: Period, until: dt.datetime | None = None) -> dict[str, ReportText]:
    """The newest version of each field with its writer and time (written by `until`, when given)."""
    newest: dict[str, ReportText] = {}
    if scope.kind != "team":
        return newest
    query = sa.select(ReportText).where(ReportText.team_id == scope.teams[0].id,
                                        ReportText.period_start == period.start, ReportText.period_end == period.end)
    if until is not None:
        query = query.where(ReportText.written_at <= until)
    for row in db.session.scalars(query.order_by(ReportText.written_at, ReportText.id)):
        newest[row.field] = row
    return newest


def texts_at(scope: Scope, period: Period, moment: dt.datetime) -> dict[str, str]:
    """The texts as they stood at `moment` (a snapshot's freezing)."""
    return {key: row.body for key, row in text_versions(scope, period, until=moment).items()}


def texts_changed_since(scope: Scope, period: Period, moment: dt.datetime) -> list[str]:
    """The fields whose text differs from the one they had at `moment`, in the document's order."""
    then, now = texts_at(scope, period, moment), current_texts(scope, period)
    return [key for key in text_fields() if then.get(key, "") != now.get(key, "")]


def save_texts(user, scope: Scope, period: Period, raw: dict) -> list[str]:
    """Validate every field first; add a version of each field whose text changed. Returns the keys saved."""
    if scope.kind != "team" or not can_edit_report_texts(user, scope.teams[0]):
        raise PermissionDenied("report_text.denied", "Only the team's lead may write the report's texts.")
    try:
        loaded = ReportTextsSchema().load({k: v for k, v in raw.items() if k in text_fields()})
    except ValidationError as exc:
        raise ValidationFailed("report_text.invalid", "Invalid report text.",
                               errors=flatten_messages(exc.messages)) from None
    wanted = {key.replace("__", "."): value for key, value in loaded.items()}
    existing = current_texts(scope, period)
    changed = [key for key in text_fields() if wanted[key].strip() != existing.get(key, "")]
    for key in changed:
        db.session.add(ReportText(team_id=scope.teams[0].id, period_start=period.start, period_end=period.end,
                                  field=key, body=wanted[key].strip(), written_by=user.id))
    db.session.flush()
    return changed
