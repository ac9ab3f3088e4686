"""Users: creation, password sign-in and change, deactivation."""

import sqlalchemy as sa
from marshmallow import ValidationError, fields, validate

from casework.auth import passwords, sessions, tokens
from casework.auth.models import User
from casework.auth.passwords import hash_password
from casework.auth.tokens import issue_token, revoke_tokens, token_hash, user_for_token  # noqa: F401  (callers import them from here)
from casework.errors import Conflict, NotFound, ValidationFailed
from casework.extensions import db
from casework.schemas import InputSchema
from casework.teams.service import get_federation, get_team
from casework.vocab import ROLES

TEAM_ROLES = {"coach", "team_lead"}


class UserInput(InputSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    role = fields.String(required=True, validate=validate.OneOf(list(ROLES)))
    name = fields.String(load_default="", validate=validate.Length(max=200))
    password = fields.String()
    teams = fields.List(fields.String(validate=validate.Length(max=80)), load_default=list)
    federation = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


def check_password(user: User, password: str) -> bool:
    return passwords.verify_password(user.password_hash, password)


def get_user(email_or_id: str) -> User:
    user = db.session.scalar(sa.select(User).where(sa.or_(User.email == email_or_id.strip().lower(),
                                                          User.id == email_or_id)))
    if user is None:
        raise NotFound("user.not_found", "No such user.", "email")
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user whose password this is, if the account is active; else None, after the same work."""
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        passwords.burn_time(password)
        return None
    if not (user.active and check_password(user, password)):
        return None
    if passwords.hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.flush()
    return user


def create_user(raw: dict) -> User:
    try:
        data = UserInput().load(raw)
    except ValidationError as exc:
        raise ValidationFailed("user.invalid", "Invalid user.", errors=exc.messages) from None
    email = data["email"].lower()
    if data.get("password"):
        passwords.check_policy(data["password"], email)
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise Conflict("user.email_taken", "A user with this e-mail exists.", "email")
    if data["role"] in TEAM_ROLES and not data["teams"]:
        raise ValidationFailed("user.team_required", "A coach or team lead belongs to at least one team.", "teams")
    if data["role"] not in TEAM_ROLES and data["teams"]:
        raise ValidationFailed("user.teams_not_allowed", "Only coaches and team leads belong to teams.", "teams")
    if data["role"] == "analyst" and not data["federation"]:
        raise ValidationFailed("user.federation_required", "An analyst belongs to a federation.", "federation")
    user = User(email=email, name=data["name"], role=data["role"],
                password_hash=hash_password(data["password"]) if data.get("password") else None,
                teams=[get_team(slug) for slug in data["teams"]],
                federation=get_federation(data["federation"]) if data["federation"] else None)
    db.session.add(user)
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str, repeated: str) -> None:
    """Check the current password and the policy; then every session of the user ends (the page
    that asked signs the current browser in again with a new session)."""
    if not check_password(user, current):
        raise ValidationFailed("password.current_wrong", "The current password is wrong.", "current")
    if new != repeated:
        raise ValidationFailed("password.repeat_differs", "The two new passwords differ.", "repeated")
    passwords.check_policy(new, user.email)
    user.password_hash = hash_password(new)
    sessions.end_all(user)
    db.session.flush()


def set_password(user: User, new: str) -> None:
    """An administrator's reset (CLI): policy applies, every session ends."""
    passwords.check_policy(new, user.email)
    user.password_hash = hash_password(new)
    sessions.end_all(user)
    db.session.flush()


def deactivate(user: User) -> None:
    """Sign-in refused from now on; every session ends and every token is revoked at once."""
    user.active = False
    sessions.end_all(user)
    tokens.revoke_all(user)
    db.session.flush()


def activate(user: User) -> None:
    user.active = True
    db.session.flush()


def list_users() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.email)))
