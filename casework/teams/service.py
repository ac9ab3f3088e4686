import json
from collections.abc import Callable

import sqlalchemy as sa
from marshmallow import ValidationError

from casework.errors import NotFound, ValidationFailed
from casework.extensions import db
from casework.teams.models import Federation, SettingsChange, Team
from casework.teams.settings import TeamSettings, load_settings

# Checks of a settings change against what the team has recorded, by higher layers that read it
# (events: survey answers on the team's scales), registered at start-up. Each is called as
# check(team, before, after) and returns the problems by setting; none may be saved.
SETTINGS_CHECKS: list[Callable] = []


def register_settings_check(check: Callable) -> None:
    if check not in SETTINGS_CHECKS:
        SETTINGS_CHECKS.append(check)


def check_settings_change(team: Team, settings: TeamSettings) -> None:
    """ValidationFailed, by setting under `settings`, when the change would misread recorded data."""
    errors: dict = {}
    for check in SETTINGS_CHECKS:
        errors |= check(team, team.settings, settings)
    if errors:
        raise ValidationFailed("team.settings_invalid", "Invalid team settings.", errors={"settings": errors})


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


def validated_settings(raw: dict | None) -> TeamSettings:
    """The settings, or ValidationFailed with marshmallow's messages under `settings`, by field."""
    try:
        return load_settings(raw)
    except ValidationError as exc:
        raise ValidationFailed("team.settings_invalid",
                               "Invalid team settings.", errors={"settings": exc.messages}) from None


def save_team(slug: str, name: str, federation_name: str, settings: dict | None, *,
              changed_by=None, source: str = "import") -> Team:
    """Create a team, or update its name and settings; settings are validated first."""
    validated = validated_settings(settings)
    team = db.session.scalar(sa.select(Team).where(Team.slug == slug))
    federation = ensure_federation(federation_name)
    if team is None:
        team = Team(slug=slug, name=name, federation=federation)
        db.session.add(team)
    team.name = name
    team.federation = federation
    _apply_settings(team, validated, changed_by, source)
    return team


def update_team_settings(team: Team, raw: dict, changed_by, source: str = "page") -> TeamSettings:
    """Replace the team's settings (every key; one left out takes its default), keeping the change."""
    validated = validated_settings(raw)
    _apply_settings(team, validated, changed_by, source)
    return validated


def _apply_settings(team: Team, settings: TeamSettings, changed_by, source: str) -> None:
    """Store the settings and, when they differ from the stored ones, a history row."""
    if team.id is not None:
        check_settings_change(team, settings)
    wanted = settings.to_dict()
    before = dict(team.settings_json) if team.settings_json else None
    if same_settings(before, wanted):
        db.session.flush()
        return
    team.settings_json = wanted
    db.session.flush()
    db.session.add(SettingsChange(team_id=team.id, changed_by_id=getattr(changed_by, "id", None),
                                  source=source, before=before, after=wanted))
    db.session.flush()


def same_settings(stored: dict | None, wanted: dict) -> bool:
    """Equal, in order too: reordering the result columns is a change (dict equality ignores order)."""
    return json.dumps(stored) == json.dumps(wanted)


def settings_history(team: Team) -> list[SettingsChange]:
    """The team's settings changes, newest first."""
    return list(db.session.scalars(sa.select(SettingsChange).where(SettingsChange.team_id == team.id)
                                   .order_by(SettingsChange.changed_at.desc(), SettingsChange.id)))


def changed_keys(before: dict | None, after: dict) -> list[str]:
    """The settings a change altered, in the order of TeamSettings (all of them for a new team)."""
    before = before or {}
    return [key for key in after if json.dumps(before.get(key)) != json.dumps(after[key])]
