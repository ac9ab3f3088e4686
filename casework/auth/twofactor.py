"""The second factor: TOTP (RFC 6238) with single-use recovery codes.

Every role that can see a person or the access log must use it; analysts too unless
CASEWORK_ANALYST_2FA is off. The secret is sealed by the master key (crypto service) with
associated data naming users/totp_secret/<user id>. A code is accepted once: the time-step it
matched is stored and a code of that step or an earlier one is refused, with a conditional
UPDATE so that two requests racing with the same code cannot both win.
"""

import hashlib
import hmac
import secrets

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app

from casework.audit.security import security_event
from casework.auth import clock, sessions
from casework.auth.models import RecoveryCode, User
from casework.errors import ValidationFailed
from casework.extensions import db

ISSUER = "Casework"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
STEP_WINDOW = (-1, 0, 1)  # one step of clock drift either way
EXEMPT_BY_SETTING = {"analyst"}


def required_for(user: User) -> bool:
    return user.role not in EXEMPT_BY_SETTING or current_app.config.get("ANALYST_2FA", True)


def is_enrolled(user: User) -> bool:
    return user.totp_confirmed_at is not None


def enrolment_secret(user: User) -> str:
    """The secret being enrolled: made on first call, the same one until confirmed."""
    if is_enrolled(user):
        raise ValidationFailed("twofactor.already_set_up", "The second factor is already set up.", "code")
    if user.totp_secret_enc is None:
        user.totp_secret = pyotp.random_base32()
        db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI for an <img>: no script, nothing fetched from elsewhere."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _normalise(code: str | None) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _accept_totp(user: User, code: str) -> bool:
    """True if the code matches a step in the window newer than the last accepted one; that
    step is then stored (atomically) so the same code cannot be used again."""
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now_step = totp.timecode(clock.now())
    for step in (now_step + offset for offset in STEP_WINDOW):
        if hmac.compare_digest(totp.generate_otp(step), code):
            result = db.session.execute(
                sa.update(User).where(User.id == user.id, sa.or_(User.totp_last_step.is_(None),
                                                                 User.totp_last_step < step))
                .values(totp_last_step=step).execution_options(synchronize_session=False))
            if result.rowcount != 1:
                return False
            user.totp_last_step = step
            return True
    return False


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Finish enrolment with a first valid code; returns the recovery codes (shown once)."""
    if is_enrolled(user) or user.totp_secret_enc is None:
        raise ValidationFailed("twofactor.restart", "Start the set-up again.", "code")
    if not _accept_totp(user, _normalise(code)):
        raise ValidationFailed("twofactor.code_wrong", "The code is wrong or already used.", "code")
    user.totp_confirmed_at = clock.now()
    security_event("two_factor_enrolled", user_id=user.id)
    codes = new_recovery_codes(user)
    db.session.flush()
    return codes


def verify(user: User, code: str) -> str | None:
    """'totp' or 'recovery' when the code is accepted (and used up), else None."""
    code = _normalise(code)
    if not is_enrolled(user) or not code:
        return None
    if _accept_totp(user, code):
        return "totp"
    if _use_recovery_code(user, code):
        return "recovery"
    return None


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + code.encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes (50 bits each), replacing any earlier ones; only salted hashes are kept."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        salt = secrets.token_hex(16)
        db.session.add(RecoveryCode(user_id=user.id, salt=salt, code_hash=_hash(salt, code)))
        codes.append(f"{code[:5]}-{code[5:]}")
    db.session.flush()
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    if len(code) != 10:
        return False
    rows = db.session.scalars(sa.select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                            RecoveryCode.used_at.is_(None)))
    for row in rows:
        if hmac.compare_digest(row.code_hash, _hash(row.salt, code)):
            result = db.session.execute(
                sa.update(RecoveryCode).where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=clock.now()).execution_options(synchronize_session=False))
            return result.rowcount == 1
    return False


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def reset(user: User) -> None:
    """Forget the second factor (the next sign-in enrols anew) and end every session."""
    user.totp_secret = None
    user.totp_confirmed_at = user.totp_last_step = None
    security_event("two_factor_reset", target_user_id=user.id)
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    sessions.end_all(user)
    db.session.flush()


def rewrap_secrets(active_key_id: str) -> int:
    """Re-seal every TOTP secret under the new master key (called by the key rotation)."""
    users = db.session.scalars(sa.select(User).where(User.totp_key_id.is_not(None), User.totp_key_id != active_key_id))
    count = 0
    for user in users:
        user.totp_secret = user.totp_secret  # read under the old key, sealed again under the active one
        count += 1
    db.session.flush()
    return count

