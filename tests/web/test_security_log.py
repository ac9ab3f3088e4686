"""The security event log: one JSON line per event with user id and request id, never personal data."""

import pytest

from casework.audit.security import security_event
from casework.auth import twofactor
from casework.auth.sessions import MAX_FAILED_CODES
from casework.exchange.exporting import export_team
from casework.protection.erasure import erase_participant

PASSWORD = "correct horse battery"  # tests/conftest.py's TEST_PASSWORD
PERSONAL = ("Anna Exempel", "19900101-0017", "@example.org", PASSWORD)


@pytest.fixture
def lead(make_user, team):
    return make_user("team_lead", [team])


def _no_personal_data(log):
    for value in PERSONAL:
        assert value not in log.text


def test_sign_in_failed_and_succeeded(client, coach, session, login, security_log):
    session.commit()  # a refused request rolls back; keep the account
    failed = client.post("/login", data={"email": coach.email, "password": "wrong password"})
    assert failed.status_code == 400
    login(coach)  # password, then the first set-up of the authenticator
    [refused] = security_log.events("sign_in_failed")
    [enrolled] = security_log.events("two_factor_enrolled")
    [signed_in] = security_log.events("sign_in_succeeded")
    assert refused["request_id"] == failed.headers["X-Request-ID"] and refused["user_id"] is None
    assert refused["endpoint"] == "auth.login" and refused["route"] == "/login"
    assert enrolled["user_id"] == signed_in["user_id"] == coach.id and signed_in["kind"] == "enrolment"
    assert signed_in["endpoint"] == "auth.enrol" and signed_in["remote_addr"] == "127.0.0.1" and signed_in["at"]
    assert len({refused["request_id"], signed_in["request_id"]}) == 2
    _no_personal_data(security_log)


def test_wrong_codes_are_logged_and_too_many_end_the_sign_in(client, coach, session, security_log):
    session.commit()
    assert client.post("/login", data={"email": coach.email, "password": PASSWORD}).status_code == 302
    for _ in range(MAX_FAILED_CODES):
        client.post("/login/enrol", data={"code": "abc"})
    assert len(security_log.events("second_factor_failed")) == MAX_FAILED_CODES - 1
    [throttled] = security_log.events("sign_in_throttled")
    assert throttled["user_id"] == coach.id and not security_log.events("sign_in_succeeded")


def test_a_reset_of_the_second_factor_is_logged(coach, security_log):
    twofactor.reset(coach)
    [line] = security_log.events("two_factor_reset")
    assert line["target_user_id"] == coach.id and line["request_id"] is None


def test_another_teams_participant_is_a_refusal(participant, make_user, make_team, login, client, security_log):
    stranger = make_user("coach", [make_team()])
    login(stranger)
    response = client.get(f"/protection/participants/{participant.id}")
    assert response.status_code == 404
    [line] = security_log.events("permission_refused")
    assert (line["user_id"], line["participant_id"], line["status"]) == (stranger.id, participant.id, 404)
    assert line["request_id"] == response.headers["X-Request-ID"]
    _no_personal_data(security_log)


def test_a_403_is_a_refusal(participant, coach, bearer, client, security_log, make_user):
    referrer = make_user("referrer")
    response = client.get(f"/api/v1/participants/{participant.id}", headers=bearer(referrer))
    assert response.status_code == 403
    [line] = security_log.events("permission_refused")
    assert (line["user_id"], line["status"]) == (referrer.id, 403)
    assert line["endpoint"] == "api_participants.read_participant"


def test_a_token_use_is_logged_once_a_minute(coach, bearer, client, security_log):
    headers = bearer(coach)
    for _ in range(3):
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    [line] = security_log.events("token_used")
    assert line["user_id"] == coach.id and line["purpose"] == "api" and line["token_id"]
    _no_personal_data(security_log)


def test_subject_access_export_and_erasure(participant, lead, login, client, security_log):
    login(lead)
    response = client.get(f"/protection/participants/{participant.id}/export.json")
    assert response.status_code == 200 and "Anna Exempel" in response.get_data(as_text=True)
    [export] = security_log.events("subject_access_export")
    assert (export["user_id"], export["participant_id"]) == (lead.id, participant.id)
    assert export["request_id"] == response.headers["X-Request-ID"]
    erase_participant(participant, "Begäran från Anna Exempel", lead, force=True)
    [erasure] = security_log.events("erasure")
    assert (erasure["user_id"], erasure["participant_id"], erasure["kind"]) == (lead.id, participant.id, "request")
    _no_personal_data(security_log)


def test_exports_of_a_team_and_of_a_report(participant, team, lead, login, client, security_log):
    list(export_team(team, lead))
    login(lead)
    assert client.get("/reports/download.csv", query_string={"period": "2021H1"}).status_code == 200
    team_export, report_export = security_log.events("export")
    assert (team_export["kind"], team_export["team"], team_export["user_id"]) == ("team", team.slug, lead.id)
    assert (report_export["kind"], report_export["format"], report_export["user_id"]) == ("report", "csv", lead.id)
    _no_personal_data(security_log)


def test_fields_outside_the_list_and_unsafe_values_are_dropped(security_log):
    security_event("export", user_id="u-1", email="anna@example.org", name="Anna Exempel", note="x",
                   kind="Anna Exempel 19900101-0017")
    [line] = security_log.lines
    assert line["user_id"] == "u-1" and "kind" not in line
    assert sorted(line["dropped"]) == ["email", "kind", "name", "note"]
    _no_personal_data(security_log)
