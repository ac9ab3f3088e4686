import sqlalchemy as sa
from marshmallow import ValidationError

from casework.errors import NotFound, ValidationFailed
from casework.extensions import db
from casework.teams.models import Federation, Team
from casework.teams.settings import load_settings


def get_team(slug_or_id: str) -> Team:
    team = db.session.scalar(sa.select(Team).where(sa.or_(Team.slug == slug_or_id, Team.id == slug_or_id)))
    if team is None:
        raise NotFound("team.unknown", f"Unknown team {slug_or_id!r}.", "team",
                       team=slug_or_id)
    return team


def get_federation(name_or_id: str) -> Federation:
    fed = db.session.scalar(
        sa.select(Federation).where(sa.or_(Federation.name == name_or_id, Federation.id == name_or_id))
    )
    if fed is None:
        raise NotFound("federation.unknown", f"Unknown federation {name_or_id!r}.", "federation",
                       federation=name_or_id)
    return fed


def ensure_federation(name: str) -> Federation:
    fed = db.session.scalar(sa.select(Federation).where(Federation.name == name))
    if fed is None:
        fed = Federation(name=name)
        db.session.add(fed)
        db.session.flush()
    return fed


def save_team(slug: str, name: str, federation_name: str, settings: dict | None) -> Team:
    """Create a team, or update its name and settings; settings are validated first."""
    try:
        validated = load_settings(settings)
    except ValidationError as exc:
        raise ValidationFailed("team.settings_invalid",
                               "Invalid team settings.", errors={"settings": exc.messages}) from None
    team = db.session.scalar(sa.select(Team).where(Team.slug == slug))
    federation = ensure_federation(federation_name)
    if team is None:
        team = Team(slug=slug, name=name, federation=federation)
        db.session.add(team)
    team.name = name
    team.federation = federation
    team.settings_json = validated.to_dict()
    db.session.flush()
    return team
