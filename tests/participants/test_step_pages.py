"""Recording and correcting steps from the participant page."""

import datetime as dt

import pytest
import sqlalchemy as sa

from casework.audit.models import AccessLogEntry
from casework.events.forms import RECORDABLE
from casework.events.service import log_of, state_of
from casework.extensions import db


def reads_logged(participant, user) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AccessLogEntry).where(
        AccessLogEntry.participant_id == participant.id, AccessLogEntry.user_id == user.id))


def text_of(response) -> str:
    return response.get_data(as_text=True)


def form_data(type_name: str, day: str, data: dict | None = None, note: str | None = None) -> dict:
    """What the page's form for `type_name` posts (its fields are prefixed with the type)."""
    form = {"type": type_name, f"{type_name}-date": day}
    for name, value in (data or {}).items():
        if isinstance(value, dict):
            for inner, text in value.items():
                form[f"{type_name}-{name}_{inner}"] = text
        elif isinstance(value, bool):
            if value:
                form[f"{type_name}-{name}"] = "y"
        else:
            form[f"{type_name}-{name}"] = value if isinstance(value, list) else str(value)
    if note is not None:
        form[f"{type_name}-note"] = note
    return form


def post_event(client, participant, type_name, day, data=None, note=None):
    return client.post(f"/participants/{participant.id}/events", data=form_data(type_name, day, data, note))


SETUPS = {
    "new": [],
    "queued": [("referral_received", "2021-01-05", {"referrer_org": "fk", "income_sources": ["sickness_benefit"]})],
    "enrolled": [("referral_received", "2021-01-05", {"referrer_org": "fk"}), ("enrolled", "2021-02-01", {})],
    "training": [("referral_received", "2021-01-05", {"referrer_org": "fk"}), ("enrolled", "2021-02-01", {}),
                 ("work_training_started", "2021-03-01", {"kind": "internship", "extent_percent": 50})],
    "exited": [("referral_received", "2021-01-05", {"referrer_org": "fk"}), ("enrolled", "2021-02-01", {}),
               ("exited", "2021-06-01", {"category": "studies"})],
    "anonymous": [("referral_received", "2021-01-05", {"referrer_org": "fk"})],
}

# type -> (setup, posted data, the payload stored)
VALID_CASES = {
    "study_visit": ("new", {"mode": "outdoor", "referrer_present": True}, {"mode": "outdoor", "referrer_present": True}),
    "referral_received": ("new", {"referrer_org": "soc", "income_sources": ["social_assistance", "none"],
                                  "referrer": {"name": "Hanna Handläggare", "email": "hanna@soc.example.org"}},
                          {"referrer_org": "soc", "income_sources": ["social_assistance", "none"]}),
    "referral_withdrawn": ("queued", {}, {}),
    "referrer_changed": ("queued", {"referrer_org": "af", "referrer": {"name": "Ali Ny", "email": "ali@af.example.org"}},
                         {"referrer_org": "af"}),
    "enrolled": ("queued", {"consents": ["documentation", "statistics"]}, {"consents": ["documentation", "statistics"]}),
    "trial_completed": ("enrolled", {}, {}),
    "assessment": ("enrolled", {}, {}),
    "action_plan": ("enrolled", {}, {}),
    "activity": ("enrolled", {"kind": "forest_group", "attended": True}, {"kind": "forest_group", "attended": True}),
    "half_year_review": ("enrolled", {}, {}),
    "follow_up": ("enrolled", {"status": "booked", "scheduled_for": "2021-05-03", "scheduled_time": "10:00"},
                  {"status": "booked", "scheduled_for": "2021-05-03", "scheduled_time": "10:00"}),
    "work_training_started": ("enrolled", {"kind": "work_training", "extent_percent": "25", "workplace": "Bageriet"},
                              {"kind": "work_training", "extent_percent": 25}),
    "work_training_ended": ("training", {}, {}),
    "income_changed": ("enrolled", {"income_sources": ["salary"]}, {"income_sources": ["salary"]}),
    "survey": ("enrolled", {"instrument": "ors", "score": "23,5"}, {"instrument": "ors", "score": 23.5}),
    "exited": ("enrolled", {"category": "work", "subtype": "wage_subsidy", "active_jobseeker": False,
                            "transfer": False, "income_sources": ["salary"], "closing_document": True},
               {"category": "work", "subtype": "wage_subsidy", "active_jobseeker": False, "transfer": False,
                "income_sources": ["salary"], "closing_document": True}),
    "post_exit_follow_up": ("exited", {"months_after": "6", "status": "unreachable"},
                            {"months_after": 6, "status": "unreachable"}),
    "consent_given": ("enrolled", {"scope": "information_sharing"}, {"scope": "information_sharing"}),
    "consent_withdrawn": ("enrolled", {"scope": "statistics"}, {"scope": "statistics"}),
    "facts_corrected": ("enrolled", {"education": "post_secondary_3plus", "reason": "Felregistrerad utbildning"},
                        {"education": "post_secondary_3plus"}),
    "identified": ("anonymous", {"personal": {"name": "Ida Identifierad", "personnummer": "19900315-0423"},
                                 "consents": ["documentation", "statistics"]},
                   {"consents": ["documentation", "statistics"]}),
}


def test_every_recordable_type_has_a_form_and_a_case_here():
    assert set(VALID_CASES) == set(RECORDABLE)


@pytest.fixture
def prepared(participant, make_participant, team, record, coach):
    def prepare(setup: str):
        person = make_participant(team, name=None) if setup == "anonymous" else participant
        for type_name, day, data in SETUPS[setup]:
            record(person, type_name, day, data, user=coach)
        return person

    return prepare


@pytest.mark.parametrize("type_name", sorted(VALID_CASES))
def test_each_event_form_records_its_step(client, login, coach, prepared, type_name):
    setup, posted, stored = VALID_CASES[type_name]
    participant = prepared(setup)
    login(coach)
    page = text_of(client.get(f"/participants/{participant.id}"))
    assert f'id="form-{type_name}"' in page
    day = "2021-06-15" if setup == "exited" else "2021-04-20"
    note = None if participant.anonymous else "Anteckning om steget"
    response = post_event(client, participant, type_name, day, posted, note=note)
    assert response.status_code == 302, text_of(response)
    event = log_of(participant.id)[-1]
    assert (event.type, event.date, event.data, event.recorded_by_id) == (type_name, dt.date.fromisoformat(day),
                                                                           stored, coach.id)
    page = text_of(client.get(f"/participants/{participant.id}"))
    if note:
        assert b"Anteckning" not in event.note_enc
        assert note in page
    if "referrer" in posted:
        assert posted["referrer"]["name"] in page


def test_the_date_defaults_to_today(client, login, coach, enrolled):
    login(coach)
    assert f'value="{dt.date.today().isoformat()}"' in text_of(client.get(f"/participants/{enrolled.id}"))


# --- bad input (issue 2): a form error, the input kept, nothing written ----------------------------

FUTURE = (dt.date.today() + dt.timedelta(days=3)).isoformat()

BAD_INPUT = [
    ("future date", "enrolled", "trial_completed", FUTURE, {}, "Datumet ligger i framtiden"),
    ("not a date", "enrolled", "assessment", "2021-13-45", {}, "Ange ett datum"),
    ("step before enrolment", "enrolled", "assessment", "2021-01-20", {}, "registrera en inskrivning först"),
    ("follow-up without enrolment", "queued", "follow_up", "2021-03-01", {"status": "held"}, "registrera en inskrivning först"),
    ("exit without enrolment", "queued", "exited", "2021-03-01", {"category": "work"}, "registrera en inskrivning först"),
    ("second enrolment", "enrolled", "enrolled", "2021-03-01", {}, "Redan inskriven"),
    ("exit without category", "enrolled", "exited", "2021-03-01", {}, "Obligatoriskt fält"),
    ("exit with unknown category", "enrolled", "exited", "2021-03-01", {"category": "holiday"}, "Ogiltigt val"),
    ("subtype of another category", "enrolled", "exited", "2021-03-01",
     {"category": "studies", "subtype": "samhall"}, "Undertypen hör inte till avslutskategorin"),
    ("booking without a date", "enrolled", "follow_up", "2021-03-01", {"status": "booked"},
     "En bokad uppföljning behöver ett datum"),
    ("income change to nothing", "enrolled", "income_changed", "2021-03-01", {}, "Välj minst ett alternativ"),
    ("extent over 100 percent", "enrolled", "work_training_started", "2021-03-01",
     {"kind": "internship", "extent_percent": "150"}, "utanför det tillåtna intervallet"),
    ("bad referrer e-mail", "queued", "referrer_changed", "2021-03-01",
     {"referrer_org": "af", "referrer": {"name": "Ali", "email": "inte-en-adress"}}, "Ogiltig e-postadress"),
    ("ending training that never started", "enrolled", "work_training_ended", "2021-03-01", {},
     "ingen pågående arbetsträning"),
    ("post-exit follow-up before the exit", "enrolled", "post_exit_follow_up", "2021-03-01",
     {"months_after": "6", "status": "other"}, "kräver ett avslut"),
]


@pytest.mark.parametrize("case, setup, type_name, day, data, message", BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_gives_a_form_error_and_writes_nothing(client, login, coach, prepared, case, setup, type_name,
                                                          day, data, message):
    participant = prepared(setup)
    before = [e.id for e in log_of(participant.id)]
    reads = reads_logged(participant, coach)
    login(coach)
    response = post_event(client, participant, type_name, day, data, note="Behåll min text")
    page = text_of(response)
    assert response.status_code == 400
    assert message in page
    assert "Behåll min text" in page  # the user's input is kept
    assert f'id="form-{type_name}" open' in page
    assert [e.id for e in log_of(participant.id)] == before
    assert reads_logged(participant, coach) == reads + 1  # the page shown again is a logged read


def test_an_exit_within_an_active_work_training_keeps_state_consistent(client, login, coach, prepared):
    participant = prepared("training")
    login(coach)
    response = post_event(client, participant, "exited", "2021-04-01", {"category": "dropout"})
    assert response.status_code == 302
    assert state_of(participant).work_training_since is None


def test_an_unknown_event_type_is_refused(client, login, coach, enrolled):
    login(coach)
    before = len(log_of(enrolled.id))
    for type_name in ("holiday", "correction", "erased"):
        response = client.post(f"/participants/{enrolled.id}/events", data={"type": type_name})
        assert response.status_code == 400
    assert len(log_of(enrolled.id)) == before


def test_a_note_for_an_anonymous_participant_is_refused(client, login, coach, team, make_participant, record):
    anonymous = make_participant(team, name=None)
    record(anonymous, "study_visit", "2021-01-05", {})
    login(coach)
    response = post_event(client, anonymous, "referral_received", "2021-01-10", {"referrer_org": "self"},
                          note="Heter Kalle")
    assert response.status_code == 400 and "inga anteckningar" in text_of(response)
    assert len(log_of(anonymous.id)) == 1


def test_recording_for_another_teams_participant_is_not_found(client, login, coach, make_team, make_participant):
    stranger = make_participant(make_team(), "Otto Annan")
    login(coach)
    assert post_event(client, stranger, "study_visit", "2021-01-05", {}).status_code == 404
    assert log_of(stranger.id) == []


# --- corrections ------------------------------------------------------------------------------------

def test_correcting_an_event_voids_it_with_the_reason(client, login, coach, enrolled, record):
    mistake = record(enrolled, "exited", "2021-03-01", {"category": "work"}, user=coach)
    login(coach)
    url = f"/participants/{enrolled.id}/events/{mistake.id}/correct"
    page = text_of(client.get(url))
    assert "Avslut" in page and "Arbete" in page
    response = client.post(url, data={"reason": "Fel deltagare", "confirm": ""})
    assert response.status_code == 400 and "Bekräfta att händelsen ska makuleras" in text_of(response)
    response = client.post(url, data={"reason": "", "confirm": "y"})
    assert response.status_code == 400 and "Ange ett skäl" in text_of(response)
    assert len(log_of(enrolled.id)) == 3
    response = client.post(url, data={"reason": "Fel deltagare", "confirm": "y"})
    assert response.status_code == 302
    correction = log_of(enrolled.id)[-1]
    assert (correction.type, correction.voids_event_id) == ("correction", mistake.id)
    assert b"Fel deltagare" not in correction.personal_enc
    assert state_of(enrolled).phase == "in_trial"
    page = text_of(client.get(f"/participants/{enrolled.id}"))
    assert f'class="voided" id="event-{mistake.id}"' in page
    assert "Makulerad: Fel deltagare" in page
    assert "Händelsen är redan makulerad" in text_of(client.get(url))
    assert client.post(url, data={"reason": "Igen", "confirm": "y"}).status_code == 400
    assert len(log_of(enrolled.id)) == 4


def test_voiding_an_enrolment_returns_the_participant_to_the_queue(client, login, coach, enrolled):
    login(coach)
    [referral, enrolment] = log_of(enrolled.id)
    response = client.post(f"/participants/{enrolled.id}/events/{enrolment.id}/correct",
                           data={"reason": "Skrevs in av misstag", "confirm": "y"})
    assert response.status_code == 302
    assert state_of(enrolled).phase == "queued"


def test_correcting_another_teams_event_is_not_found(client, login, coach, make_team, make_participant, record,
                                                      enrolled):
    stranger = make_participant(make_team(), "Otto Annan")
    event = record(stranger, "study_visit", "2021-01-05", {})
    login(coach)
    assert client.get(f"/participants/{stranger.id}/events/{event.id}/correct").status_code == 404
    assert client.post(f"/participants/{stranger.id}/events/{event.id}/correct",
                       data={"reason": "x", "confirm": "y"}).status_code == 404
    # nor through one's own participant's address
    assert client.post(f"/participants/{enrolled.id}/events/{event.id}/correct",
                       data={"reason": "x", "confirm": "y"}).status_code == 404
    assert [e.type for e in log_of(stranger.id)] == ["study_visit"]
