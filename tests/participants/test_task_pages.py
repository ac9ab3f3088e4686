"""The "Att göra" pages, the counts on the team list, and the step links that open the form."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask import g

from casework.audit.models import AccessLogEntry
from casework.extensions import db

CONSENTS = {"consents": ["documentation", "information_sharing", "statistics"]}


def ago(months=0, days=0) -> dt.date:
    return dt.date.today() - relativedelta(months=months, days=days)


@pytest.fixture
def in_trial(make_participant, team, record):
    """Enrolled so that the trial (2 months) ends in 5 days."""
    person = make_participant(team, "Tova Prövotid")
    record(person, "referral_received", ago(months=2, days=2), {"referrer_org": "fk"})
    record(person, "enrolled", ago(months=2, days=-5), CONSENTS)
    return person


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_coachs_list_shows_the_trial_ending_until_it_is_recorded(client, login, coach, in_trial, record):
    login(coach)
    page = text(client.get("/tasks"))
    assert "Tova Prövotid" in page and "Prövotiden slutar" in page and "om 5 dagar" in page
    assert f"/participants/{in_trial.id}?step=trial_completed#form-trial_completed" in page
    record(in_trial, "trial_completed", dt.date.today())
    db.session.commit()
    assert "step=trial_completed" not in text(client.get("/tasks"))


def test_the_step_link_opens_the_form_filled_in(client, login, coach, team, make_participant, record):
    person = make_participant(team, "Elsa Efter")
    record(person, "referral_received", ago(months=14), {"referrer_org": "fk"})
    record(person, "enrolled", ago(months=13), CONSENTS)
    record(person, "exited", ago(months=6, days=1), {"category": "work"})
    login(coach)
    page = text(client.get("/tasks"))
    link = re.search(r'href="([^"]*step=post_exit_follow_up[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "months_after=6" in link
    form_page = text(client.get(link))
    opened = re.search(r'<details class="event-form" id="form-post_exit_follow_up" open>(.*?)</details>', form_page,
                       re.S)
    assert opened and re.search(r'<option selected value="6">|<option value="6" selected>', opened.group(1))
    assert form_page.count('<details class="event-form"') > 1
    assert len(re.findall(r'<details class="event-form"[^>]* open>', form_page)) == 1


def test_the_team_view_and_the_counts_on_the_team_list(client, login, coach, team, in_trial, make_participant, record):
    waiting = make_participant(team, "Kim Kö")
    record(waiting, "referral_received", ago(months=3), {"referrer_org": "af"})
    login(coach)
    listing = text(client.get(f"/teams/{team.slug}/participants"))
    assert f'href="/teams/{team.slug}/tasks"' in listing
    assert "1 försenad" in listing and "1 till inom 30 dagar" in listing
    page = text(client.get(f"/teams/{team.slug}/tasks?overdue=true"))
    assert "Kim Kö" in page and "Lång väntan i kö" in page and "Tova Prövotid" not in page


def test_filters_and_a_bad_value_on_its_field(client, login, coach, in_trial):
    login(coach)
    assert "Tova Prövotid" in text(client.get("/tasks?kind=&within_days=30&team="))  # the form's "all" options
    assert "Tova Prövotid" not in text(client.get("/tasks?kind=queue_wait"))
    assert "Tova Prövotid" not in text(client.get("/tasks?within_days=3"))
    response = client.get("/tasks?within_days=-4")
    assert response.status_code == 400
    assert re.search(r'name="within_days"[^>]*value="-4">\s*<span class="error" role="alert">Värdet ligger utanför',
                     text(response))
    assert "Tova Prövotid" not in text(response)


def test_other_teams_and_other_roles_are_refused(client, login, make_user, make_team, team, in_trial):
    other = make_team()
    login(make_user("coach", [other]))
    assert "Tova Prövotid" not in text(client.get("/tasks"))
    assert client.get(f"/teams/{team.slug}/tasks").status_code == 403
    assert client.get(f"/tasks?team={team.slug}").status_code == 404
    client.post("/logout")
    login(make_user("referrer"))
    assert client.get("/tasks").status_code == 403


def test_each_page_view_is_access_logged(client, login, coach, in_trial):
    login(coach)
    client.get("/tasks")
    client.get("/tasks")
    reads = db.session.scalars(sa.select(AccessLogEntry).where(AccessLogEntry.user_id == coach.id,
                                                               AccessLogEntry.participant_id == in_trial.id)).all()
    assert [(r.purpose, r.route) for r in reads] == [("task_list", "tasks.mine")] * 2


def test_the_page_in_english(client, login, coach, in_trial):
    login(coach)
    client.post("/language/en")
    g.pop("_flask_babel", None)  # the test's one app context keeps the locale; a server's requests do not
    page = text(client.get("/tasks"))
    assert "To do" in page and "Trial period ends" in page and "in 5 days" in page


def test_a_questionnaire_task_links_to_its_survey_form(client, login, coach, team, make_participant, record):
    person = make_participant(team, "Nina Enkät")
    record(person, "referral_received", ago(months=4), {"referrer_org": "fk"})
    record(person, "enrolled", ago(months=3, days=10), CONSENTS)
    login(coach)
    page = text(client.get("/tasks"))
    link = re.search(rf'href="(/participants/{person.id}/surveys/[^"]*)"', page).group(1)
    assert link.endswith("/surveys/nns_ongoing")
    assert client.get(link).status_code == 200
