"""Users, passwords (argon2) and API tokens."""

import hashlib
import secrets

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from marshmallow import Schema, ValidationError, fields, validate

from casework.auth.models import ApiToken, User
from casework.db import utcnow
from casework.errors import Conflict, NotFound, ValidationFailed
from casework.extensions import db
from casework.teams.service import get_federation, get_team
from casework.vocab import ROLES

hasher = PasswordHasher()
TEAM_ROLES = {"coach", "team_lead"}
MIN_PASSWORD = 10


class UserInput(Schema):
    email = fields.Email(required=True)
    role = fields.String(required=True, validate=validate.OneOf(list(ROLES)))
    name = fields.String(load_default="", validate=validate.Length(max=200))
    password = fields.String(validate=validate.Length(min=MIN_PASSWORD, max=200))
    teams = fields.List(fields.String(), load_default=list)
    federation = fields.String(load_default=None, allow_none=True)


def hash_password(password: str) -> str:
    return hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def get_user(email_or_id: str) -> User:
    user = db.session.scalar(sa.select(User).where(sa.or_(User.email == email_or_id.strip().lower(),
                                                          User.id == email_or_id)))
    if user is None:
        raise NotFound("No such user.", "email")
    return user


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        hasher.hash(password or "x")  # same work whether or not the account exists
        return None
    return user if user.active and check_password(user, password) else None


def create_user(raw: dict) -> User:
    try:
        data = UserInput().load(raw)
    except ValidationError as exc:
        raise ValidationFailed("Invalid user.", errors=exc.messages) from None
    email = data["email"].lower()
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise Conflict("A user with this e-mail exists.", "email")
    if data["role"] in TEAM_ROLES and not data["teams"]:
        raise ValidationFailed("A coach or team lead belongs to at least one team.", "teams")
    if data["role"] not in TEAM_ROLES and data["teams"]:
        raise ValidationFailed("Only coaches and team leads belong to teams.", "teams")
    if data["role"] == "analyst" and not data["federation"]:
        raise ValidationFailed("An analyst belongs to a federation.", "federation")
    user = User(email=email, name=data["name"], role=data["role"],
                password_hash=hash_password(data["password"]) if data.get("password") else None,
                teams=[get_team(slug) for slug in data["teams"]],
                federation=get_federation(data["federation"]) if data["federation"] else None)
    db.session.add(user)
    db.session.flush()
    return user


def issue_token(user: User, purpose: str = "api") -> str:
    """Return a new secret token; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), purpose=purpose))
    db.session.flush()
    return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(token: str, purpose: str = "api") -> User | None:
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == token_hash(token),
                                                      ApiToken.purpose == purpose,
                                                      ApiToken.revoked_at.is_(None)))
    if row is None or not row.user.active:
        return None
    return row.user


def revoke_tokens(user: User, purpose: str = "api") -> int:
    rows = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.purpose == purpose,
                                                        ApiToken.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = utcnow()
    db.session.flush()
    return len(rows)
