"""`staff`, `budget` and `meeting` lines (DOMAIN.md §6): checked line by line, idempotent, exported again."""

import json

import pytest
import sqlalchemy as sa

from casework.exchange.exporting import export_team
from casework.exchange.service import ImportRefused, import_lines
from casework.extensions import db
from casework.organisation.models import BudgetLine, Meeting, OrganisationChange, StaffPeriod
from casework.teams.service import get_team

TEAM = {"record": "team", "slug": "kraften-hedemora", "name": "Kraften Hedemora",
        "federation": "Södra Dalarnas Samordningsförbund"}
STAFF = {"record": "staff", "team": "kraften-hedemora", "id": "S01", "name": "Anna Coach", "role": "coach",
         "employer": "municipality", "extent_percent": 100, "from": "2021-01-01", "to": None}
BUDGET = {"record": "budget", "team": "kraften-hedemora", "from": "2020-01-01", "to": "2020-12-31",
          "line": "own_staff", "decided": 1900000, "outcome": 1860162, "forecast": None}
MEETING = {"record": "meeting", "team": "kraften-hedemora", "date": "2021-03-10", "kind": "steering_group"}


def lines(*records) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in (TEAM, *records)]


def refused(records) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRefused) as caught:
        import_lines(lines(*records))
    return [(line, field) for line, field, _ in caught.value.line_errors]


def stored() -> int:
    return sum(db.session.scalar(sa.select(sa.func.count()).select_from(m))
               for m in (StaffPeriod, BudgetLine, Meeting, OrganisationChange))


def test_lines_are_imported_once_and_kept_as_changes_by_the_import():
    summary = import_lines(lines(STAFF, BUDGET, MEETING))
    assert (summary.organisation_added, summary.organisation_skipped) == (3, 0)
    again = import_lines(lines(STAFF, BUDGET, MEETING))
    assert (again.organisation_added, again.organisation_updated, again.organisation_skipped) == (0, 0, 3)
    changes = db.session.scalars(sa.select(OrganisationChange)).all()
    assert len(changes) == 3 and {c.source for c in changes} == {"import"} and all(c.changed_by_id is None
                                                                                    for c in changes)


def test_a_line_with_other_values_changes_the_record_and_the_change_is_kept():
    import_lines(lines(STAFF, BUDGET))
    summary = import_lines(lines({**STAFF, "to": "2021-06-30"}, {**STAFF, "from": "2021-07-01", "extent_percent": 20},
                                 {**BUDGET, "outcome": 1870000}))
    assert (summary.organisation_added, summary.organisation_updated) == (1, 2)
    assert db.session.scalar(sa.select(BudgetLine.outcome)) == 1870000
    budget_change = db.session.scalars(sa.select(OrganisationChange).where(OrganisationChange.before.is_not(None))
                                       .where(OrganisationChange.record_kind == "budget")).one()
    assert (budget_change.before["outcome"], budget_change.after["outcome"]) == (1860162, 1870000)


@pytest.mark.parametrize(("record", "field"), [
    ({**BUDGET, "line": "travel"}, "line"),
    ({**BUDGET, "decided": -1}, "decided"),
    ({**STAFF, "extent_percent": 120}, "extent_percent"),
    ({**STAFF, "employer": "bank"}, "employer"),
    ({**STAFF, "to": "2020-01-01"}, "to"),
    ({**MEETING, "date": "2999-01-01"}, "date"),
    ({**MEETING, "kind": "fika"}, "kind"),
    ({**MEETING, "team": "okant-team"}, "team"),
])
def test_a_bad_line_is_named_with_its_field_and_nothing_is_written(record, field):
    assert refused([STAFF, record]) == [(3, field)]
    assert stored() == 0


def test_overlapping_periods_in_the_file_or_with_the_database_are_refused():
    assert refused([BUDGET, {**BUDGET, "from": "2020-07-01", "to": "2021-06-30"}]) == [(3, "from")]
    assert refused([STAFF, {**STAFF, "from": "2021-06-01"}]) == [(3, "from")]
    assert refused([MEETING, MEETING]) == [(3, "date")]
    import_lines(lines(STAFF))
    assert refused([{**STAFF, "from": "2022-01-01"}]) == [(2, "from")]
    assert stored() == 2  # the staff period and its change, nothing more


def test_export_writes_the_lines_back(example_lines):
    import_lines([*example_lines, *lines(STAFF, BUDGET, MEETING)[1:]])
    exported = [json.loads(line) for line in export_team(get_team("kraften-hedemora"))]
    assert [r for r in exported if r["record"] in ("staff", "budget", "meeting")] == [STAFF, BUDGET, MEETING]
    summary = import_lines([json.dumps(r, ensure_ascii=False) for r in exported])
    assert (summary.organisation_added, summary.organisation_skipped) == (0, 3)
