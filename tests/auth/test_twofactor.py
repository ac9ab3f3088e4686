"""The second factor: enrolment, codes used once, recovery codes, the half-signed-in state."""

import re

import pyotp
import pytest
import sqlalchemy as sa

from casework.auth import twofactor
from casework.auth.models import RecoveryCode
from casework.crypto import service as crypto
from casework.errors import KeyUnavailable
from casework.extensions import db


def test_first_sign_in_enrols_with_a_qr_code_and_shows_ten_recovery_codes(client, coach, password_step, code):
    response = password_step(coach)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/enrol")
    page = client.get("/login/enrol").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/casework.js" defer>'], "no inline script"
    secret = coach.totp_secret
    assert secret in page
    assert secret.encode() not in bytes(coach.totp_secret_enc) and coach.totp_key_id
    assert client.post("/login/enrol", data={"code": "000000"}).status_code == 400
    assert not twofactor.is_enrolled(coach)
    assert client.get("/login/enrol").get_data(as_text=True).count(secret) == 1  # the same secret again
    done = client.post("/login/enrol", data={"code": code(coach)})
    assert done.status_code == 200 and twofactor.is_enrolled(coach)
    shown = done.get_data(as_text=True)
    rows = db.session.scalars(sa.select(RecoveryCode).where(RecoveryCode.user_id == coach.id)).all()
    assert len(rows) == 10 and all(row.code_hash not in shown for row in rows)
    assert client.get("/teams/kraften-test/participants").status_code == 200


def test_the_half_signed_in_state_reaches_no_page(client, coach, password_step, recovery_codes):
    assert password_step(coach).headers["Location"].endswith("/login/code")
    for path in ("/teams", "/teams/kraften-test/participants", "/account", "/reauth", "/admin/users", "/api/v1/teams"):
        response = client.get(path)
        assert response.status_code in (302, 401), path
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]
    assert client.get("/login/code").status_code == 200


def test_an_enrolled_user_signs_in_with_the_code_and_cannot_use_it_twice(client, other_client, coach,
                                                                         password_step, recovery_codes, code):
    password_step(coach)
    used = code(coach)
    assert client.post("/login/code", data={"code": used}).status_code == 302
    step = coach.totp_last_step
    totp = pyotp.TOTP(coach.totp_secret)
    assert totp.generate_otp(step) == used
    password_step(coach, other_client)
    again = other_client.post("/login/code", data={"code": used})
    assert again.status_code == 400 and "Koden är fel eller redan använd" in again.get_data(as_text=True)
    earlier = other_client.post("/login/code", data={"code": totp.generate_otp(step - 1)})
    assert earlier.status_code == 400
    assert other_client.get("/account").status_code == 302


def test_a_recovery_code_works_once(client, coach, password_step, recovery_codes):
    assert len(recovery_codes) == 10
    password_step(coach)
    signed_in = client.post("/login/code", data={"code": recovery_codes[0].upper().replace("-", " ")})
    assert signed_in.status_code == 302
    assert twofactor.recovery_codes_left(coach) == 9
    client.post("/logout")
    password_step(coach)
    assert client.post("/login/code", data={"code": recovery_codes[0]}).status_code == 400
    assert client.post("/login/code", data={"code": recovery_codes[1]}).status_code == 302


def test_wrong_codes_count_and_the_fifth_ends_the_attempt(client, coach, password_step, recovery_codes, code):
    password_step(coach)
    for _ in range(4):
        response = client.post("/login/code", data={"code": "123456"})
        assert response.status_code == 400
    assert client.post("/login/code", data={"code": "abcde-fghij"}).headers["Location"].endswith("/login")
    assert client.post("/login/code", data={"code": code(coach)}).headers["Location"].endswith("/login")
    assert client.get("/account").status_code == 302


def test_the_half_signed_in_state_expires(client, coach, password_step, recovery_codes, code, time_machine):
    password_step(coach)
    time_machine.move(minutes=6)
    response = client.post("/login/code", data={"code": code(coach)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert client.get("/account").status_code == 302


def test_the_analyst_may_be_exempted_by_setting(app, client, make_user, team, password_step, monkeypatch):
    analyst = make_user("analyst", federation="Testförbundet")
    assert password_step(analyst).headers["Location"].endswith("/login/enrol")
    monkeypatch.setitem(app.config, "ANALYST_2FA", False)
    response = password_step(analyst)
    assert response.status_code == 302 and "/login/" not in response.headers["Location"]
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize("role", ["coach", "team_lead", "referrer", "auditor", "admin"])
def test_every_role_that_sees_people_or_the_log_needs_the_code(make_user, team, role, password_step):
    user = make_user(role, [team] if role in ("coach", "team_lead") else [])
    assert password_step(user).headers["Location"].endswith("/login/enrol")


def test_the_sealed_secret_opens_only_in_its_own_row(coach, make_user, team):
    other = make_user("coach", [team])
    twofactor.enrolment_secret(coach)
    twofactor.enrolment_secret(other)
    other.totp_key_id, other.totp_secret_enc = coach.totp_key_id, coach.totp_secret_enc
    with pytest.raises(KeyUnavailable):
        _ = other.totp_secret


def test_reset_2fa_forgets_the_authenticator_and_ends_sessions(app, client, coach, login, password_step):
    login(coach)
    assert client.get("/account").status_code == 200
    result = app.test_cli_runner().invoke(args=["users", "reset-2fa", coach.email])
    assert result.exit_code == 0, result.output
    assert client.get("/account").status_code == 302
    assert coach.totp_secret_enc is None and not twofactor.is_enrolled(coach)
    assert twofactor.recovery_codes_left(coach) == 0
    assert password_step(coach).headers["Location"].endswith("/login/enrol")


def test_a_master_key_rotation_reseals_the_secret(coach):
    from casework.crypto.rotation import rotate_master_key

    secret = twofactor.enrolment_secret(coach)
    old_key = coach.totp_key_id
    result = rotate_master_key(db.session.commit)
    assert coach.totp_key_id == result.key_id != old_key
    assert coach.totp_secret == secret
    with pytest.raises(KeyUnavailable):
        crypto.keyring().master_key(old_key)
