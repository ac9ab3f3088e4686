"""The organisation page: the lead adds and changes records through forms, coaches only read."""

import datetime as dt

import pytest
import sqlalchemy as sa

from casework.extensions import db
from casework.organisation.models import BudgetLine, OrganisationChange, StaffPeriod
from casework.organisation.service import add_record

STAFF_FORM = {"staff-staff_ref": "S01", "staff-name": "Anna Coach", "staff-role": "coach",
              "staff-employer": "af", "staff-extent_percent": "50", "staff-start": "2021-01-01", "staff-end": ""}


@pytest.fixture
def lead(make_user, team):
    return make_user("team_lead", [team])


def test_the_lead_adds_staff_and_sees_it_with_its_history(login, lead, team):
    client = login(lead)
    answer = client.post(f"/teams/{team.slug}/organisation/staff", data=STAFF_FORM)
    assert answer.status_code == 302
    page = client.get(f"/teams/{team.slug}/organisation").get_data(as_text=True)
    assert "Anna Coach" in page and "Tjänstgöringsgrad i procent: 50" in page
    staff = db.session.scalars(sa.select(StaffPeriod)).one()
    assert (staff.end_date, staff.employer) == (None, "af")


def test_bad_input_shows_on_its_field_and_writes_nothing(login, lead, team):
    client = login(lead)
    answer = client.post(f"/teams/{team.slug}/organisation/staff", data={**STAFF_FORM, "staff-extent_percent": "150"})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert 'id="staff-extent_percent"' in page and 'aria-describedby="staff-extent_percent-error"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffPeriod)) == 0


def test_an_overlapping_budget_line_is_refused_on_its_start(login, lead, team):
    add_record(lead, "budget", team, {"line": "premises", "from": "2020-01-01", "to": "2020-12-31", "decided": 10})
    answer = login(lead).post(f"/teams/{team.slug}/organisation/budget", data={
        "budget-line": "premises", "budget-start": "2020-06-01", "budget-end": "2021-05-31", "budget-decided": "5",
        "budget-outcome": "", "budget-forecast": ""})
    assert answer.status_code == 400 and 'aria-describedby="budget-start-error"' in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetLine)) == 1


def test_the_lead_changes_a_record_on_its_own_page(login, lead, team):
    staff = add_record(lead, "staff", team, {"id": "S01", "name": "Anna", "role": "coach", "employer": "af",
                                             "extent_percent": 50, "from": "2021-01-01", "to": None})
    client = login(lead)
    path = f"/teams/{team.slug}/organisation/staff/{staff.id}"
    assert 'value="50"' in client.get(path).get_data(as_text=True)
    form = {name.removeprefix("staff-"): value for name, value in STAFF_FORM.items()}
    answer = client.post(path, data={**form, "extent_percent": "20"})
    assert answer.status_code == 302
    assert db.session.get(StaffPeriod, staff.id).extent_percent == 20


def test_coaches_read_and_may_not_post(login, coach, lead, team):
    add_record(lead, "meeting", team, {"date": "2021-03-10", "kind": "steering_group"})
    client = login(coach)
    page = client.get(f"/teams/{team.slug}/organisation").get_data(as_text=True)
    assert "2021-03-10" in page and "Lägg till" not in page
    assert client.post(f"/teams/{team.slug}/organisation/meeting",
                       data={"meeting-date": "2021-03-11", "meeting-kind": "steering_group"}).status_code == 403


def test_the_page_shows_role_labels_and_changes_at_swedish_local_time(login, lead, team):
    add_record(lead, "staff", team, {"id": "S01", "name": "Anna", "role": "coach", "employer": "af",
                                     "extent_percent": 50, "from": "2021-01-01", "to": None})
    add_record(lead, "staff", team, {"id": "S02", "name": "Bo", "role": "Socionom", "employer": "municipality",
                                     "extent_percent": 100, "from": "2021-01-01", "to": None})
    winter, summer = db.session.scalars(sa.select(OrganisationChange).order_by(OrganisationChange.changed_at)).all()
    winter.changed_at = dt.datetime(2021, 1, 15, 9, 30, tzinfo=dt.UTC)   # CET, UTC+1
    summer.changed_at = dt.datetime(2021, 7, 1, 22, 15, tzinfo=dt.UTC)   # CEST, UTC+2: the next day
    db.session.flush()
    page = login(lead).get(f"/teams/{team.slug}/organisation").get_data(as_text=True)
    assert "<td>Coach</td>" in page and "<td>Socionom</td>" in page and "<td>coach</td>" not in page
    assert "Roll: Coach; Arbetsgivare: Arbetsförmedlingen" in page and "Roll: Socionom" in page
    assert "2021-01-15 10:30" in page and "2021-07-02 00:15" in page and "UTC" not in page
