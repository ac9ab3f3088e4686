"""Keeping staff, budget lines and meetings: the rules, the permissions and the change history."""

import datetime as dt

import pytest
import sqlalchemy as sa

from casework.errors import PermissionDenied, ValidationFailed
from casework.extensions import db
from casework.organisation.models import BudgetLine, Meeting, OrganisationChange, StaffPeriod
from casework.organisation.service import add_record, change_record, changes_of, records_of

STAFF = {"id": "S01", "name": "Anna Coach", "role": "coach", "employer": "municipality", "extent_percent": 100,
         "from": "2021-01-01", "to": None}
BUDGET = {"line": "own_staff", "from": "2020-01-01", "to": "2020-12-31", "decided": 1900000, "outcome": 1860162,
          "forecast": None}


@pytest.fixture
def lead(make_user, team):
    return make_user("team_lead", [team])


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def refusal(user, kind, team, raw) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        add_record(user, kind, team, raw)
    return caught.value.errors


def test_a_lead_adds_and_changes_staff_and_every_change_is_kept(lead, team):
    staff = add_record(lead, "staff", team, STAFF)
    change_record(lead, "staff", team, staff.id, {**STAFF, "extent_percent": 50})
    changes = sorted(changes_of(lead, team), key=lambda c: c.before is not None)  # may share a timestamp
    assert [(c.before and c.before["extent_percent"], c.after["extent_percent"]) for c in changes] == [
        (None, 100), (100, 50)]
    assert all(c.changed_by_id == lead.id and c.source == "page" for c in changes)
    assert [s.extent_percent for s in records_of(lead, "staff", team)] == [50]


def test_saving_the_same_values_again_adds_no_change(lead, team):
    staff = add_record(lead, "staff", team, STAFF)
    change_record(lead, "staff", team, staff.id, STAFF)
    assert count(OrganisationChange) == 1


@pytest.mark.parametrize(("kind", "raw", "field"), [
    ("staff", {**STAFF, "extent_percent": 101}, "extent_percent"),
    ("staff", {**STAFF, "extent_percent": -1}, "extent_percent"),
    ("staff", {**STAFF, "employer": "bank"}, "employer"),
    ("staff", {**STAFF, "to": "2020-12-31"}, "to"),
    ("staff", {**STAFF, "name": "x" * 201}, "name"),
    ("budget", {**BUDGET, "line": "travel"}, "line"),
    ("budget", {**BUDGET, "outcome": -5}, "outcome"),
    ("budget", {**BUDGET, "decided": 2.5}, "decided"),
    ("meeting", {"date": "2999-01-01", "kind": "steering_group"}, "date"),
    ("meeting", {"date": "2021-03-10", "kind": "fika"}, "kind"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(lead, team, kind, raw, field):
    assert field in refusal(lead, kind, team, raw)
    assert count(StaffPeriod) + count(BudgetLine) + count(Meeting) + count(OrganisationChange) == 0


def test_overlapping_periods_of_one_staff_member_or_budget_line_are_refused(lead, team):
    add_record(lead, "staff", team, {**STAFF, "to": "2021-06-30"})
    add_record(lead, "staff", team, {**STAFF, "from": "2021-07-01", "extent_percent": 20})
    assert "from" in refusal(lead, "staff", team, {**STAFF, "from": "2021-06-01"})
    add_record(lead, "staff", team, {**STAFF, "id": "S02", "from": "2021-06-01"})  # another person may
    add_record(lead, "budget", team, BUDGET)
    assert "from" in refusal(lead, "budget", team, {**BUDGET, "from": "2020-07-01", "to": "2021-06-30"})
    add_record(lead, "budget", team, {**BUDGET, "line": "premises"})
    assert count(StaffPeriod) == 3 and count(BudgetLine) == 2


def test_the_same_meeting_twice_is_refused(lead, team):
    add_record(lead, "meeting", team, {"date": "2021-03-10", "kind": "steering_group"})
    assert "date" in refusal(lead, "meeting", team, {"date": "2021-03-10", "kind": "steering_group"})
    add_record(lead, "meeting", team, {"date": dt.date.today().isoformat(), "kind": "steering_group"})


def test_coaches_read_but_only_the_lead_or_an_admin_may_change(lead, team, coach, make_user, make_team):
    add_record(lead, "meeting", team, {"date": "2021-03-10", "kind": "steering_group"})
    assert len(records_of(coach, "meeting", team)) == 1
    with pytest.raises(PermissionDenied):
        add_record(coach, "meeting", team, {"date": "2021-03-11", "kind": "steering_group"})
    other_lead = make_user("team_lead", [make_team()])
    with pytest.raises(PermissionDenied):
        add_record(other_lead, "meeting", team, {"date": "2021-03-11", "kind": "steering_group"})
    with pytest.raises(PermissionDenied):
        records_of(make_user("analyst", federation=team.federation.name), "meeting", team)
    add_record(make_user("admin"), "meeting", team, {"date": "2021-03-11", "kind": "collaboration"})
