"""The participant page guides the coach: the likeliest step open first, errors tied to their fields."""

import re

from casework.events.service import log_of
from tests.participants.test_step_pages import post_event, text_of


def step_forms(page: str) -> list[tuple[str, bool]]:
    """(type, open) of each step form, in page order."""
    return [(m.group(1), bool(m.group(2))) for m in re.finditer(r'<details class="event-form" id="form-(\w+)"\s*(open)?', page)]


def section(page: str, start: str, end: str) -> str:
    return page[page.index(start):page.index(end, page.index(start))]


def test_after_a_referral_the_enrolment_is_first_and_the_only_open_form(client, login, coach, participant, record):
    record(participant, "referral_received", "2021-01-05", {"referrer_org": "fk"})
    login(coach)
    forms = step_forms(text_of(client.get(f"/participants/{participant.id}")))
    assert forms[0] == ("enrolled", True)
    assert [t for t, is_open in forms if is_open] == ["enrolled"]
    later = [t for t, _ in forms].index("exited")
    assert later > [t for t, _ in forms].index("study_visit"), "steps refused today come last"


def test_after_enrolment_the_trial_completion_is_offered_first(client, login, coach, enrolled):
    login(coach)
    assert step_forms(text_of(client.get(f"/participants/{enrolled.id}")))[0] == ("trial_completed", True)


def test_a_saved_step_lands_at_the_timeline_with_its_confirmation(client, login, coach, enrolled):
    login(coach)
    response = post_event(client, enrolled, "trial_completed", "2021-05-01")
    assert response.status_code == 302 and response.headers["Location"].endswith("#tidslinje")
    page = text_of(client.get(response.headers["Location"]))
    timeline = section(page, '<section id="tidslinje"', "</section>")
    assert 'role="status"' in timeline and "Steget är sparat: Prövotid genomförd." in timeline
    assert "Steget är sparat" not in page[:page.index('<section id="tidslinje"')]


def test_each_form_posts_back_to_itself(client, login, coach, enrolled):
    login(coach)
    page = text_of(client.get(f"/participants/{enrolled.id}"))
    assert f'action="/participants/{enrolled.id}/events#form-follow_up"' in page


def test_a_refused_step_shows_a_summary_linked_to_fields_tied_to_their_messages(client, login, coach, enrolled):
    login(coach)
    before = len(log_of(enrolled.id))
    response = post_event(client, enrolled, "follow_up", "2021-13-45", {"status": "held"},
                          note="Min anteckning")
    page = text_of(response)
    assert response.status_code == 400 and len(log_of(enrolled.id)) == before
    form = section(page, '<details class="event-form" id="form-follow_up" open', "</details>")
    summary = section(form, '<div class="error-summary" role="alert"', "</div>")
    assert summary.index("error-summary") < form.index('name="follow_up-date"'), "the summary tops the form"
    assert 'href="#follow_up-date"' in summary and "Datum:" in summary
    date_input = re.search(r'<input[^>]*id="follow_up-date"[^>]*>', form).group(0)
    assert 'aria-invalid="true"' in date_input and 'aria-describedby="follow_up-date-error"' in date_input
    assert 'value="2021-13-45"' in date_input
    assert re.search(r'<span class="error" id="follow_up-date-error">', form)
    assert re.search(r"<option selected value=\"held\">|<option value=\"held\" selected>", form) and "Min anteckning" in form
    assert 'aria-invalid' not in re.search(r'<input[^>]*id="follow_up-scheduled_time"[^>]*>', form).group(0)


def test_every_page_has_a_skip_link_to_the_content(client):
    page = text_of(client.get("/login"))
    assert '<a class="skip-link" href="#content">' in page and '<main id="content"' in page


def test_a_refused_sign_in_shows_the_summary_and_ties_the_field(client, coach):
    page = text_of(client.post("/login", data={"email": "", "password": ""}))
    assert 'class="error-summary" role="alert"' in page
    assert re.search(r'<input[^>]*aria-describedby="email-error"[^>]*aria-invalid="true"|'
                     r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="email-error"', page)


def test_ids_on_the_participant_page_are_unique(client, login, coach, enrolled):
    """Labels, error messages and summary links point at ids: each form's fields, and the CSRF
    field every form carries, must not repeat one."""
    login(coach)
    ids = re.findall(r'\sid="([^"]+)"', text_of(client.get(f"/participants/{enrolled.id}")))
    assert len(ids) > 50 and len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_identification_is_offered_to_anonymous_participants_only(client, login, coach, make_participant, team):
    login(coach)
    named = make_participant(team)
    anonymous = make_participant(team, name=None)
    assert anonymous.anonymous and not named.anonymous
    assert 'id="form-identified"' not in client.get(f"/participants/{named.id}").get_data(as_text=True)
    assert 'id="form-identified"' in client.get(f"/participants/{anonymous.id}").get_data(as_text=True)
