"""Throttling of sign-in, second factor, bearer tokens and the calendar feed (defaults: 10 refused
attempts per account and 50 per address in 15 minutes, 20 refused tokens per address).

A refused request rolls its transaction back, so the tests commit what they made first (into
the test's outer transaction, rolled back at its end as ever).
"""

import secrets

import pytest
import sqlalchemy as sa

from casework.auth import tokens
from casework.extensions import db
from tests.conftest import TEST_PASSWORD

HOME = {"REMOTE_ADDR": "192.0.2.10"}
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.20"}


def _sign_in(client, email, password, address=HOME):
    return client.post("/login", data={"email": email, "password": password}, environ_base=address)


def _wrong_code(user, code):
    right = code(user)
    return "000000" if right != "000000" else "111111"


def test_wrong_passwords_lock_the_account_well_before_the_thirtieth(client, coach, session, time_machine):
    session.commit()
    statuses = [_sign_in(client, coach.email, f"wrong {n}").status_code for n in range(30)]
    assert statuses == [400] * 10 + [429] * 20
    refused = _sign_in(client, coach.email, TEST_PASSWORD)
    assert refused.status_code == 429
    assert "För många försök. Vänta 15 minuter och försök igen." in refused.get_data(as_text=True)
    assert 14 * 60 < int(refused.headers["Retry-After"]) <= 15 * 60
    time_machine.move(minutes=14)
    assert _sign_in(client, coach.email, TEST_PASSWORD).status_code == 429
    time_machine.move(minutes=1, seconds=1)
    assert _sign_in(client, coach.email, TEST_PASSWORD).status_code == 302


def test_the_account_is_counted_whatever_the_case_of_the_address_typed(client, coach, session):
    session.commit()
    for n in range(10):
        assert _sign_in(client, coach.email.upper() if n % 2 else coach.email, "wrong").status_code == 400
    assert _sign_in(client, coach.email, TEST_PASSWORD).status_code == 429


def test_another_account_from_another_address_is_unaffected(client, coach, make_user, team, session):
    other = make_user("coach", [team])
    session.commit()
    for _ in range(12):
        _sign_in(client, coach.email, "wrong")
    assert _sign_in(client, other.email, TEST_PASSWORD, ELSEWHERE).status_code == 302


def test_the_address_is_counted_across_accounts(app, client, make_user, team, session, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_ATTEMPTS", 5)
    users = [make_user("coach", [team]) for _ in range(7)]
    session.commit()
    assert [_sign_in(client, u.email, "wrong").status_code for u in users[:5]] == [400] * 5
    assert _sign_in(client, users[5].email, TEST_PASSWORD).status_code == 429
    assert _sign_in(client, users[6].email, TEST_PASSWORD, ELSEWHERE).status_code == 302


def test_a_good_sign_in_does_not_reset_the_count_of_the_address(app, client, make_user, team, session,
                                                                 monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_ATTEMPTS", 3)
    guessed, own = make_user("coach", [team]), make_user("coach", [team])
    session.commit()
    _sign_in(client, guessed.email, "wrong")
    _sign_in(client, guessed.email, "wrong")
    assert _sign_in(client, own.email, TEST_PASSWORD).status_code == 302
    client.post("/logout")
    assert _sign_in(client, guessed.email, "wrong").status_code == 400
    assert _sign_in(client, guessed.email, TEST_PASSWORD).status_code == 429


def test_wrong_codes_lock_the_second_factor_across_new_password_steps(client, coach, recovery_codes, code,
                                                                      time_machine):
    answers = []
    for _ in range(3):  # the pending sign-in ends after 5 wrong codes; a new password step goes on counting
        assert _sign_in(client, coach.email, TEST_PASSWORD).status_code == 302
        for _ in range(5):
            answers.append(client.post("/login/code", data={"code": _wrong_code(coach, code)},
                                       environ_base=HOME).status_code)
            if answers[-1] != 400:
                break
    assert answers[:10] == [400, 400, 400, 400, 302] * 2 and answers[10] == 429
    assert client.post("/login/code", data={"code": code(coach)}, environ_base=HOME).status_code == 429
    time_machine.move(minutes=15, seconds=1)
    assert client.post("/login/code", data={"code": code(coach)}, environ_base=HOME).status_code == 302


def test_a_lock_out_is_logged_once_without_whose(client, coach, security_log):
    for _ in range(14):
        _sign_in(client, coach.email, "wrong")
    noted = security_log.events("rate_limit_reached")
    assert [(line["scope"], line["kind"]) for line in noted] == [("sign-in-account", "account")]
    assert coach.email not in security_log.text


def test_guessed_bearer_tokens_get_429_in_json(client, coach, session):
    good = {"Authorization": f"Bearer {tokens.issue_token(coach)}"}
    session.commit()
    statuses = [client.get("/api/v1/me", headers={"Authorization": f"Bearer {secrets.token_urlsafe(32)}"},
                           environ_base=HOME).status_code for _ in range(25)]
    assert statuses == [401] * 20 + [429] * 5
    refused = client.get("/api/v1/me", headers=good, environ_base=HOME)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json() == {"code": 429, "status": "TooManyRequests",
                                  "message": "Too many attempts. Wait 15 minutes and try again."}
    assert client.get("/api/v1/me", headers=good, environ_base=ELSEWHERE).status_code == 200


def test_good_bearer_tokens_are_not_counted(client, coach):
    good = {"Authorization": f"Bearer {tokens.issue_token(coach)}"}
    assert {client.get("/api/v1/me", headers=good).status_code for _ in range(25)} == {200}


@pytest.fixture
def referrer_feed(make_user, team):
    from casework.schedule import calendar

    referrer = make_user("referrer")
    path = f"/schedule/feed/{calendar.renew_feed(referrer)}.ics"
    db.session.commit()
    return path


def test_a_feed_fetched_too_often_gets_429(app, client, referrer_feed, monkeypatch, time_machine):
    monkeypatch.setitem(app.config, "FEED_REQUESTS_PER_HOUR", 3)
    assert [client.get(referrer_feed).status_code for _ in range(4)] == [200, 200, 200, 429]
    time_machine.move(hours=1, seconds=1)
    assert client.get(referrer_feed).status_code == 200


def test_guessed_feed_tokens_get_429(client, referrer_feed):
    statuses = [client.get(f"/schedule/feed/{secrets.token_urlsafe(32)}.ics", environ_base=HOME).status_code
                for _ in range(21)]
    assert statuses == [404] * 20 + [429]
    assert client.get(referrer_feed, environ_base=HOME).status_code == 429
    assert client.get(referrer_feed, environ_base=ELSEWHERE).status_code == 200


def test_the_api_documents_429(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "429" in spec["paths"]["/api/v1/me"]["get"]["responses"]


def test_the_page_says_how_long_to_wait_in_english_too(app, client, coach, session, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ATTEMPTS", 1)
    monkeypatch.setitem(app.config, "LOGIN_WINDOW_MINUTES", 1)
    session.commit()
    client.post("/language/en")
    _sign_in(client, coach.email, "wrong")
    page = _sign_in(client, coach.email, "wrong").get_data(as_text=True)
    assert "Too many attempts. Wait 1 minute and try again." in page


def test_the_counters_hold_no_e_mail_address(client, coach, session):
    from casework.auth import counters

    session.commit()
    _sign_in(client, coach.email, "wrong")
    with counters._engine().connect() as conn:
        keys = conn.execute(sa.select(counters.table.c.key)).scalars().all()
    assert keys and any("account:" in key for key in keys)
    assert not any(coach.email in key or "192.0.2.10" in key for key in keys)
