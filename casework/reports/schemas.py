"""Schemas of the report API: its query, the report (the JSON of `casework report --format json`)
and frozen snapshots.

The report is described key by key for the figures of DOMAIN.md §3 that every report has; a key
added later passes through unchanged (`additionalProperties`), so the answer is always the whole
report. Counts are integers, or for readers outside the team "<3" (1 or 2) or ".." (hidden so
that no small count can be worked out); means and shares are numbers, null without data, or "..".
"""

from marshmallow import INCLUDE, Schema, fields, post_dump, validate

from casework.schemas import InputSchema

HIDDEN_SIGNS = ["<3", ".."]
PERIOD_NAME = r"^(\d{4}[Hh][12]|\d{4}|\d{4}/(\d{2}|\d{4}))$"


def cell(description: str = "", *, signed: bool = False) -> fields.Raw:
    """A count (or with `signed` a difference of counts): an integer, or "<3" / ".." for readers
    outside the team."""
    number = {"type": "integer"} if signed else {"type": "integer", "minimum": 0}
    return fields.Raw(required=True, metadata={
        "description": description, "oneOf": [number, {"type": "string", "enum": HIDDEN_SIGNS}]})


def measure(description: str = "") -> fields.Raw:
    """A mean, median, extreme or share: a number, null without data, or ".." when hidden."""
    return fields.Raw(required=True, allow_none=True, metadata={
        "description": description, "oneOf": [{"type": "number", "nullable": True},
                                               {"type": "string", "enum": [".."]}]})


def split(description: str) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=cell(), required=True, metadata={"description": description})


class ReportQuerySchema(InputSchema):
    start = fields.Date(data_key="from", metadata={"description": "First day (with `to`), YYYY-MM-DD. Team staff only."})
    end = fields.Date(data_key="to", metadata={"description": "Last day, inclusive (with `from`)."})
    period = fields.String(validate=validate.Length(max=9), metadata={
        "description": "A named period instead of from/to: half-year `2021H1`, calendar year `2020`, operational "
                       "year `2020/21`. Readers outside the team (analysts) must name the period.",
        "pattern": PERIOD_NAME, "example": "2021H1"})


class FrozenSchema(Schema):
    at = fields.String(required=True, metadata={"description": "When the period was frozen (ISO 8601)."})
    period = fields.String(metadata={"description": "The frozen period's name."})
    content_hash = fields.String(metadata={
        "description": "SHA-256 of the frozen figures' canonical JSON; team staff only."})


class ChangeSchema(Schema):
    key = fields.String(required=True, metadata={"description": "The figure, as a dotted path."})
    frozen = fields.Raw(allow_none=True, metadata={"description": "Its frozen value (team staff only)."})
    now = fields.Raw(allow_none=True, metadata={"description": "Its value today (team staff only)."})


class PassThroughSchema(Schema):
    """Dumps every key of the object: the declared ones through their fields, the others as they are."""

    class Meta:
        unknown = INCLUDE

    @post_dump(pass_original=True)
    def _keep_undeclared(self, data, original, **kwargs):
        declared = {field.attribute or name for name, field in self.dump_fields.items()}
        return {**{k: v for k, v in original.items() if k not in declared}, **data}


class ActiveJobseekersSchema(Schema):
    count = cell()
    share = measure("Share of the result denominator.")


class QueueSchema(Schema):
    count = cell()
    longest_months = measure()
    shortest_months = measure()


class ReportSchema(PassThroughSchema):
    team = fields.String(metadata={"description": "The team's slug (a team's report)."})
    federation = fields.String(metadata={"description": "The federation's name (a federation's report)."})
    teams = fields.List(fields.String(), metadata={"description": "The federation's teams (slugs)."})
    from_ = fields.String(data_key="from", attribute="from", required=True, metadata={"format": "date"})
    to = fields.String(required=True, metadata={"format": "date"})
    suppressed = fields.Boolean(metadata={"description": "Present (true) when small cells are hidden."})
    frozen = fields.Nested(FrozenSchema, metadata={"description": "Present when the period was frozen."})
    changed_since_frozen = fields.List(fields.Nested(ChangeSchema), metadata={
        "description": "Figures that differ from the frozen ones (present when the period was frozen)."})
    enrolled_at_start = cell("Antal inskrivna vid periodens början")
    new_enrolments = cell("Antal nyinskrivna under perioden")
    exits_total = cell("Antal avslut totalt")
    exits_by_category = split("Exits by category.")
    enrolled_at_end = cell("Antal inskrivna vid periodens slut")
    exits_within_trial = cell("Avslut under prövotid")
    goal_reached = cell("Antal i mål")
    result_denominator = cell()
    result_share = measure("Resultat: goal_reached / result_denominator.")
    result_share_excluding_transfers = measure()
    active_jobseekers = fields.Nested(ActiveJobseekersSchema, required=True)
    participants_in_period = cell("Samtliga deltagare under perioden")
    participants_in_period_by_gender = split("By gender.")
    new_by_gender = split("By gender.")
    exits_by_gender = split("By gender.")
    goal_reached_by_gender = split("By gender.")
    enrolled_at_end_by_gender = split("By gender.")
    new_by_age = split("New enrolments by age bracket.")
    new_by_referrer = split("New enrolments by referrer organisation.")
    new_by_income = split("New enrolments by income source at referral (a person may count under several).")
    new_by_education = split("New enrolments by education.")
    new_by_support_time = split("New enrolments by months on public support.")
    throughput_months = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=measure()),
                                    required=True, metadata={"description": "Mean months, by population and gender."})
    support_years_before = fields.Dict(keys=fields.String(),
                                       values=fields.Dict(keys=fields.String(), values=measure()), required=True)
    age = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=measure()),
                      required=True, metadata={"description": "Mean, median, min, max and mean by gender."})
    income_before_after = fields.Dict(keys=fields.String(),
                                      values=fields.Dict(keys=fields.String(), values=cell(signed=True)),
                                      required=True, metadata={"description": "before, after and change per source."})
    queue_at_end = fields.Nested(QueueSchema, required=True)
    work_training_participants = cell("Antal i arbetsträning")
    follow_ups = split("Follow-ups with the referrer: due, held, held_on_time, overdue_at_end.")
    post_exit = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=cell()),
                            required=True, metadata={"description": "By months after exit (6, 18) and status."})
    throughput_trend = fields.List(fields.Dict(keys=fields.String(), values=fields.Raw()), required=True, metadata={
        "description": "Mean months for the 12-month windows ending at the last half-year ends."})
    results_by_age_gender = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=cell())), required=True)


class SnapshotRowSchema(Schema):
    id = fields.String(required=True)
    period = fields.String(required=True, metadata={"description": "The period's name (2021H1, 2020, 2020/21)."})
    from_ = fields.Date(data_key="from", attribute="from", required=True)
    to = fields.Date(required=True)
    frozen_at = fields.DateTime(required=True)
    content_hash = fields.String(allow_none=True, required=True, metadata={
        "description": "SHA-256 of the frozen figures' canonical JSON; null for readers outside the team."})


class SnapshotSchema(SnapshotRowSchema):
    report = fields.Nested(ReportSchema, required=True, metadata={
        "description": "The frozen figures (small cells hidden for readers outside the team)."})
    changed_since_frozen = fields.List(fields.Nested(ChangeSchema), required=True)


class FederationRowSchema(Schema):
    id = fields.String(required=True, metadata={"description": "Use it in the federation's report URL."})
    name = fields.String(required=True)
    teams = fields.List(fields.String(), required=True, metadata={"description": "Slugs of its teams."})
