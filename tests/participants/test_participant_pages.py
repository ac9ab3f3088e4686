"""The coach's participant pages: the team list, search, registration and the participant page."""

import datetime as dt

import pytest
import sqlalchemy as sa

from casework.audit.models import AccessLogEntry
from casework.events.service import log_of
from casework.extensions import db
from casework.participants.models import Participant


def text_of(response) -> str:
    return response.get_data(as_text=True)


def participants_of(team) -> list[Participant]:
    return list(db.session.scalars(sa.select(Participant).where(Participant.team_id == team.id)))


def reads_logged(participant, user) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AccessLogEntry).where(
        AccessLogEntry.participant_id == participant.id, AccessLogEntry.user_id == user.id))


# --- landing page and team list -------------------------------------------------------------

def test_a_coach_of_one_team_lands_on_the_team_list(client, login, coach, team):
    login(coach)
    assert client.get("/").headers["Location"].endswith("/teams")
    response = client.get("/teams")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/teams/{team.slug}/participants")


def test_a_coach_of_several_teams_chooses_one(client, login, make_user, team, make_team):
    other = make_team(name="Samverkansteam Avesta")
    login(make_user("coach", [team, other]))
    response = client.get("/teams")
    assert response.status_code == 200
    assert "Samverkansteam Avesta" in text_of(response) and "Kraften Test" in text_of(response)


def test_the_list_shows_only_the_own_team(client, login, coach, team, make_team, make_participant, record):
    mine = make_participant(team, "Mona Egen")
    record(mine, "referral_received", "2021-01-05", {"referrer_org": "af"})
    record(mine, "enrolled", "2021-02-01", {})
    make_participant(make_team(), "Otto Annan")
    login(coach)
    page = text_of(client.get(f"/teams/{team.slug}/participants"))
    assert "Mona Egen" in page and "Otto Annan" not in page
    assert "Prövotid" in page and "2021-02-01" in page
    assert 'class="overdue"' in page  # the follow-up due 2021-05-01 is long past


def test_another_teams_list_is_forbidden(client, login, coach, make_team):
    other = make_team()
    login(coach)
    assert client.get(f"/teams/{other.slug}/participants").status_code == 403
    assert client.get(f"/teams/{other.slug}/participants/new").status_code == 403
    assert client.get("/teams/no-such-team/participants").status_code == 404


def test_search_by_name_fragment_and_by_personnummer_is_posted(client, login, coach, team, make_participant):
    make_participant(team, "Sara Svensson", "19900101-0017")
    make_participant(team, "Olle Berg")
    login(coach)
    response = client.post(f"/teams/{team.slug}/participants", data={"q": "svens"})
    assert response.status_code == 200
    assert "Sara Svensson" in text_of(response) and "Olle Berg" not in text_of(response)
    response = client.post(f"/teams/{team.slug}/participants", data={"q": "900101-0017"})
    assert "Sara Svensson" in text_of(response) and "Olle Berg" not in text_of(response)
    response = client.post(f"/teams/{team.slug}/participants", data={"q": "Ingen Sådan"})
    assert "Ingen deltagare matchar sökningen" in text_of(response)
    assert "svens" not in response.request.url


def test_search_never_finds_another_teams_participant(client, login, coach, team, make_team, make_participant):
    make_participant(make_team(), "Sara Svensson", "19900101-0017")
    login(coach)
    for text in ("Sara", "19900101-0017"):
        assert "Sara Svensson" not in text_of(client.post(f"/teams/{team.slug}/participants", data={"q": text}))


def test_the_phase_filter_is_in_the_url(client, login, coach, team, make_participant, record):
    queued = make_participant(team, "Kim Kö")
    record(queued, "referral_received", "2021-01-05", {"referrer_org": "af"})
    active = make_participant(team, "Alva Aktiv")
    record(active, "referral_received", "2021-01-05", {"referrer_org": "fk"})
    record(active, "enrolled", "2021-02-01", {})
    login(coach)
    page = text_of(client.get(f"/teams/{team.slug}/participants?phase=queued"))
    assert "Kim Kö" in page and "Alva Aktiv" not in page
    assert "Okänd fas" in text_of(client.get(f"/teams/{team.slug}/participants?phase=bogus"))


# --- registration ---------------------------------------------------------------------------

def register_form(**overrides) -> dict:
    form = {"gender": "man", "birth_year": "1990", "education": "upper_secondary",
            "support_months_before": "30", "name": "Nora Ny", "personnummer": "19900101-0017",
            "phone": "070-1234567", "step": "study_visit", "date": "2021-03-01", "mode": "digital",
            "referrer_present": "y", "note": "Kom med sin handläggare."}
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def test_registering_at_a_study_visit(client, login, coach, team):
    login(coach)
    response = client.post(f"/teams/{team.slug}/participants/new", data=register_form())
    assert response.status_code == 302
    [participant] = participants_of(team)
    assert response.headers["Location"].endswith(f"/participants/{participant.id}")
    [event] = log_of(participant.id)
    assert (event.type, event.date, event.data) == ("study_visit", dt.date(2021, 3, 1),
                                                    {"mode": "digital", "referrer_present": True})
    assert (participant.gender, participant.birth_year, participant.support_months_before) == ("man", 1990, 30)
    page = text_of(client.get(response.headers["Location"]))
    assert "Nora Ny" in page and "19900101-0017" in page and "Kom med sin handläggare." in page


def test_registering_with_a_referral(client, login, coach, team):
    login(coach)
    form = register_form(step="referral_received", referrer_org="soc", referrer_name="Hanna Handläggare",
                         referrer_email="hanna@soc.example.org")
    form["income_sources"] = ["social_assistance", "activity_support"]
    response = client.post(f"/teams/{team.slug}/participants/new", data=form)
    assert response.status_code == 302, text_of(response)
    [participant] = participants_of(team)
    [event] = log_of(participant.id)
    assert event.type == "referral_received"
    assert event.data == {"referrer_org": "soc", "income_sources": ["social_assistance", "activity_support"]}
    assert b"Hanna" not in (event.personal_enc or b"")
    assert "Hanna Handläggare" in text_of(client.get(f"/participants/{participant.id}"))


def test_registering_an_anonymous_participant(client, login, coach, team):
    login(coach)
    form = register_form(anonymous="y", name="", personnummer="", phone="", note="")
    response = client.post(f"/teams/{team.slug}/participants/new", data=form)
    assert response.status_code == 302, text_of(response)
    [participant] = participants_of(team)
    assert participant.anonymous and participant.name_enc is None


@pytest.mark.parametrize("overrides, message", [
    ({"personnummer": "19900101-0018"}, "Ogiltigt personnummer"),
    ({"personnummer": "123"}, "Ogiltigt personnummer"),
    ({"email": "inte-en-adress"}, "Ogiltig e-postadress"),
    ({"anonymous": "y"}, "En anonym deltagare har inget namn"),
    ({"date": (dt.date.today() + dt.timedelta(days=1)).isoformat()}, "Datumet ligger i framtiden"),
    ({"date": "1 mars"}, "Ange ett datum"),
    ({"birth_year": "1985"}, "Födelseåret stämmer inte med personnumret"),
    ({"gender": ""}, "Obligatoriskt fält"),
    ({"step": "referral_received", "referrer_org": ""}, "Obligatoriskt fält"),
    ({"step": "enrolled"}, "Ogiltigt val"),
])
def test_bad_registrations_are_refused_with_the_input_kept(client, login, coach, team, overrides, message):
    login(coach)
    response = client.post(f"/teams/{team.slug}/participants/new", data=register_form(**overrides))
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'value="Nora Ny"' in text_of(response)
    assert participants_of(team) == []


def test_a_second_registration_of_the_same_personnummer_is_refused(client, login, coach, team, participant):
    login(coach)
    response = client.post(f"/teams/{team.slug}/participants/new", data=register_form())
    assert response.status_code == 400
    assert "finns redan i teamet" in text_of(response)
    assert participants_of(team) == [participant]


# --- the participant page -------------------------------------------------------------------

def test_the_participant_page_shows_facts_personal_data_state_and_timeline(client, login, coach, enrolled, record):
    record(enrolled, "trial_completed", "2021-04-01", note="Går bra.")
    record(enrolled, "follow_up", "2021-04-10", {"status": "booked", "scheduled_for": "2021-04-20",
                                                 "scheduled_time": "10:30"})
    login(coach)
    page = text_of(client.get(f"/participants/{enrolled.id}"))
    for expected in ("Anna Exempel", "19900101-0017", "Inskriven", "2021-02-01", "genomförd 2021-04-01",
                     "Sjukpenning", "Informationsutbyte med remittent", "2021-05-01", "2021-04-20 10:30",
                     "Går bra.", "Prövotid genomförd", "Remiss mottagen"):
        assert expected in page, expected
    assert page.index("Uppföljning med remittent") < page.index("Remiss mottagen")  # newest first
    assert f'href="/protection/participants/{enrolled.id}"' in page


def test_one_page_view_logs_one_read(client, login, coach, enrolled, record):
    record(enrolled, "trial_completed", "2021-04-01", note="Anteckning")
    login(coach)
    before = reads_logged(enrolled, coach)
    assert client.get(f"/participants/{enrolled.id}").status_code == 200
    assert reads_logged(enrolled, coach) == before + 1


def test_another_teams_participant_is_not_found(client, login, coach, make_team, make_participant):
    stranger = make_participant(make_team(), "Otto Annan")
    login(coach)
    response = client.get(f"/participants/{stranger.id}")
    assert response.status_code == 404 and "Otto Annan" not in text_of(response)
    assert reads_logged(stranger, coach) == 0


def test_an_anonymous_participants_page_offers_no_notes(client, login, coach, team, make_participant, record):
    anonymous = make_participant(team, name=None)
    record(anonymous, "study_visit", "2021-01-05", {})
    login(coach)
    page = text_of(client.get(f"/participants/{anonymous.id}"))
    assert f"Anonym {anonymous.ref}" in page and "Anteckning</label>" not in page.replace("\n", "")
    assert reads_logged(anonymous, coach) == 0


def switch_language(client, lang: str) -> None:
    """The test keeps one app context (and so one `g`) for all its requests; a server does not."""
    from flask import g

    client.post(f"/language/{lang}")
    g.pop("_flask_babel", None)


def test_pages_switch_to_english(client, login, coach, enrolled):
    login(coach)
    switch_language(client, "en")
    page = text_of(client.get(f"/participants/{enrolled.id}"))
    assert "Timeline" in page and "Record a step" in page and "Enrolment" in page and "Tidslinje" not in page
    page = text_of(client.get(f"/teams/{enrolled.team.slug}/participants"))
    assert "Participants" in page and "Search" in page
    switch_language(client, "sv")
    assert "Tidslinje" in text_of(client.get(f"/participants/{enrolled.id}"))
