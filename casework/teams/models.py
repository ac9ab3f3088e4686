import json
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.db import id_column, timestamp_column
from casework.extensions import db
from casework.teams.settings import TeamSettings, load_settings


class Federation(db.Model):
    """A samordningsförbund."""

    __tablename__ = "federations"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = timestamp_column()

    teams: Mapped[list["Team"]] = relationship(back_populates="federation", order_by="Team.name")


class Team(db.Model):
    """A team (insats) funded by a federation."""

    __tablename__ = "teams"

    id: Mapped[str] = id_column()
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    federation_id: Mapped[str] = mapped_column(sa.ForeignKey("federations.id"), index=True)
    settings_json: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = timestamp_column()

    federation: Mapped[Federation] = relationship(back_populates="teams")

    @property
    def settings(self) -> TeamSettings:
        # Keys keep their order: the order of `report_columns` is the order of the team's table.
        return _settings_from_json(json.dumps(self.settings_json or {}))


@lru_cache(maxsize=256)
def _settings_from_json(text: str) -> TeamSettings:
    """Validated once per distinct settings document, not once per participant on a list page."""
    return load_settings(json.loads(text))
