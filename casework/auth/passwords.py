"""Password hashing (argon2id) and the password policy.

Hashing keeps argon2-cffi's defaults (RFC 9106 "low memory" profile: argon2id, time_cost=3,
memory_cost=64 MiB, parallelism=4, 16-byte salt, 32-byte hash); `needs_rehash` upgrades a hash
made with other parameters at the next sign-in.

The policy follows NIST SP 800-63B and OWASP ASVS 5.0 (6.2): length over composition rules, and
no password that attackers try first. The list of common passwords is zxcvbn's (30,000 entries,
ranked by frequency in leaked password sets).
"""

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from casework.errors import ValidationFailed

MIN_LENGTH = 12
MAX_LENGTH = 200
MIN_DISTINCT = 5
SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiopå")
REASONS = {
    "short": f"At least {MIN_LENGTH} characters.",
    "long": f"At most {MAX_LENGTH} characters.",
    "common": "This password is among the most common ones.",
    "pattern": "This password is a simple pattern (repeated characters or a sequence).",
    "personal": "This password contains your e-mail name or the product's name.",
}

hasher = PasswordHasher()


class PasswordRejected(ValidationFailed):
    """The policy refused a new password: `code` is "password.<reason>", `reason` one of REASONS."""

    def __init__(self, code: str):
        self.reason = code.removeprefix("password.")
        super().__init__(code, REASONS[self.reason], "password")


@cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def burn_time(password: str) -> None:
    """As much work as a real check, so that a missing account is not told apart by timing."""
    hasher.hash(password or "x")


def check_policy(password: str, email: str = "") -> None:
    """Raise PasswordRejected for a password the policy refuses."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected("password.short")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected("password.long")
    folded = re.sub(r"\s+", "", password.casefold())
    if folded in common_passwords() or re.sub(r"[\d\W_]+$", "", folded) in common_passwords():
        raise PasswordRejected("password.common")
    if len(set(folded)) < MIN_DISTINCT or _is_sequence(folded):
        raise PasswordRejected("password.pattern")
    local = email.partition("@")[0].casefold()
    if "casework" in folded or (len(local) >= 4 and local in folded):
        raise PasswordRejected("password.personal")


def _is_sequence(folded: str) -> bool:
    letters = re.sub(r"[\W_]+", "", folded)
    return any(letters in (seq * 3) or letters in (seq[::-1] * 3) for seq in SEQUENCES)
