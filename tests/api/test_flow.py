"""A coach's whole path through the API: register, append, list, read, timeline, correct."""

import sqlalchemy as sa

from casework.audit.models import AccessLogEntry
from casework.extensions import db

API = "/api/v1"


def _register(client, headers, slug="kraften-test", **extra):
    body = {"gender": "man", "birth_year": 1990, "education": "upper_secondary", "support_months_before": 40,
            "personal": {"name": "Bo Berg", "personnummer": "19900101-0017", "phone": "070-1234567"},
            "first_step": {"type": "referral_received", "date": "2021-01-05",
                           "data": {"referrer_org": "soc", "income_sources": ["social_assistance"],
                                    "referrer": {"name": "Rut Remiss", "email": "rut@example.org"}},
                           "note": "Första kontakt"}} | extra
    return client.post(f"{API}/teams/{slug}/participants", json=body, headers=headers)


def test_register_append_read_and_correct(client, coach, bearer):
    headers = bearer(coach)
    created = _register(client, headers)
    assert created.status_code == 201, created.get_json()
    person = created.get_json()
    assert person["state"]["phase"] == "queued" and person["personal"] is None
    assert person["team"] == "kraften-test" and person["ref"]
    pid = person["id"]

    enrolled = client.post(f"{API}/participants/{pid}/events", headers=headers,
                           json={"type": "enrolled", "date": "2021-02-01", "data": {"consents": ["statistics"]}})
    assert enrolled.status_code == 201, enrolled.get_json()
    assert enrolled.get_json()["seq"] == 2 and enrolled.get_json()["voided"] is False
    work = client.post(f"{API}/participants/{pid}/events", headers=headers,
                       json={"type": "work_training_started", "date": "2021-03-01",
                             "data": {"kind": "internship", "extent_percent": 50, "workplace": "Bageriet"},
                             "note": "Trivs bra"})
    assert work.status_code == 201
    assert work.get_json()["personal"] == {"workplace": "Bageriet"}
    assert "workplace" not in work.get_json()["data"]

    listed = client.get(f"{API}/teams/kraften-test/participants", headers=headers).get_json()
    assert [(r["id"], r["name"], r["phase"], r["next_follow_up"]) for r in listed] == [
        (pid, "Bo Berg", "in_trial", "2021-05-01")]

    read = client.get(f"{API}/participants/{pid}", headers=headers).get_json()
    assert read["personal"] == {"name": "Bo Berg", "personnummer": "19900101-0017", "phone": "070-1234567"}
    assert read["state"]["enrolled_on"] == "2021-02-01" and read["state"]["consents"] == ["statistics"]
    assert read["state"]["work_training_since"] == "2021-03-01"
    assert read["support_months_before"] == 40 and read["education"] == "upper_secondary"

    by_ref = client.get(f"{API}/participants/{person['ref']}", headers=headers)
    assert by_ref.status_code == 200 and by_ref.get_json()["id"] == pid

    corrected = client.post(f"{API}/participants/{pid}/events/{work.get_json()['id']}/correction",
                            headers=headers, json={"reason": "Fel person"})
    assert corrected.status_code == 201, corrected.get_json()
    assert corrected.get_json()["voids"] == work.get_json()["id"]
    assert corrected.get_json()["personal"] == {"reason": "Fel person"}

    timeline = client.get(f"{API}/participants/{pid}/events", headers=headers).get_json()
    assert [(e["type"], e["voided"]) for e in timeline] == [
        ("correction", False), ("work_training_started", True), ("enrolled", False), ("referral_received", False)]
    assert timeline[1]["note"] == "Trivs bra"
    assert timeline[3]["personal"] == {"referrer": {"name": "Rut Remiss", "email": "rut@example.org"}}
    assert timeline[3]["note"] == "Första kontakt"
    assert client.get(f"{API}/participants/{pid}", headers=headers).get_json()["state"]["work_training_since"] is None


def test_reads_of_personal_data_are_access_logged(client, coach, bearer, enrolled):
    headers = bearer(coach)
    for path in (f"{API}/participants/{enrolled.id}", f"{API}/participants/{enrolled.id}/events",
                 f"{API}/teams/kraften-test/participants"):
        before = db.session.scalar(sa.select(sa.func.count()).select_from(AccessLogEntry))
        assert client.get(path, headers=headers).status_code == 200
        entries = db.session.scalars(sa.select(AccessLogEntry).order_by(AccessLogEntry.id.desc())).all()
        assert len(entries) == before + 1
        assert (entries[0].user_id, entries[0].participant_id) == (coach.id, enrolled.id)


def test_anonymous_participant_has_no_personal_data(client, coach, bearer):
    headers = bearer(coach)
    created = client.post(f"{API}/teams/kraften-test/participants", headers=headers, json={
        "gender": "woman", "birth_year": 1980, "anonymous": True,
        "first_step": {"type": "study_visit", "date": "2021-01-05", "data": {"mode": "digital"}}})
    assert created.status_code == 201, created.get_json()
    pid = created.get_json()["id"]
    read = client.get(f"{API}/participants/{pid}", headers=headers).get_json()
    assert read["anonymous"] is True and read["personal"] is None
    noted = client.post(f"{API}/participants/{pid}/events", headers=headers,
                        json={"type": "referral_received", "date": "2021-01-10", "data": {"referrer_org": "fk"},
                              "note": "Heter Anna"})
    assert noted.status_code == 422 and "note" in noted.get_json()["errors"]


def test_list_filters_by_phase(client, coach, bearer, enrolled, make_participant, record):
    queued = make_participant(coach.teams[0], "Kim Kö")
    record(queued, "referral_received", "2021-01-05", {"referrer_org": "af"})
    rows = client.get(f"{API}/teams/kraften-test/participants?phase=queued", headers=bearer(coach)).get_json()
    assert [r["id"] for r in rows] == [queued.id]


def test_teams_are_listed_by_role(client, bearer, users, team, other_team, make_team):
    make_team("elsewhere", "Elsewhere", federation="Annat förbund")

    def slugs(role):
        return [t["slug"] for t in client.get(f"{API}/teams", headers=bearer(users[role])).get_json()]

    assert slugs("coach_own") == ["kraften-test"]
    assert slugs("analyst") == ["kraften-test", "other-team"]
    assert set(slugs("admin")) >= {"kraften-test", "other-team", "elsewhere"}
    assert slugs("referrer") == [] and slugs("auditor") == []
    team_doc = client.get(f"{API}/teams/kraften-test", headers=bearer(users["coach_own"])).get_json()
    assert team_doc["federation"] == "Testförbundet" and team_doc["settings"]["trial_months"] == 2
