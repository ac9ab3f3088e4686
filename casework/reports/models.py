import datetime as dt

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.db import id_column, timestamp_column
from casework.events.models import Event
from casework.extensions import db

# Reports find the participants whose path touches a period from (team, type, date) alone: with
# participant_id in the index that is an index-only scan, never a read of the event rows.
REPORT_INDEX = sa.Index("ix_events_team_type_date_participant", Event.team_id, Event.type, Event.date,
                        Event.participant_id)


class ReportSnapshot(db.Model):
    """A team's report for an ended half-year or year, frozen as it was; never updated or deleted.

    `content_hash` is the SHA-256 of the canonical JSON of `report` (sorted keys, no spaces).
    """

    __tablename__ = "report_snapshots"
    __table_args__ = (sa.UniqueConstraint("team_id", "period_start", "period_end"),)

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    period_name: Mapped[str] = mapped_column(sa.String(16))
    period_start: Mapped[dt.date] = mapped_column(sa.Date)
    period_end: Mapped[dt.date] = mapped_column(sa.Date)
    report: Mapped[dict] = mapped_column(sa.JSON)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    frozen_at: Mapped[dt.datetime] = timestamp_column()

    team = relationship("Team")


class ReportHistory(db.Model):
    """Aggregate figures of a period before the team used Casework, imported from a `history` line
    (DOMAIN.md §6); `figures` holds report keys of §3 only, `source` says where they were counted."""

    __tablename__ = "report_history"
    __table_args__ = (sa.UniqueConstraint("team_id", "period_start", "period_end"),)

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    period_start: Mapped[dt.date] = mapped_column(sa.Date)
    period_end: Mapped[dt.date] = mapped_column(sa.Date)
    figures: Mapped[dict] = mapped_column(sa.JSON)
    source: Mapped[str] = mapped_column(sa.String(200))
    imported_at: Mapped[dt.datetime] = timestamp_column()

    team = relationship("Team")


class ImmutableSnapshot(Exception):
    pass


@sa_event.listens_for(ReportSnapshot, "before_update")
@sa_event.listens_for(ReportSnapshot, "before_delete")
def _refuse_change(mapper, connection, target):
    raise ImmutableSnapshot("A frozen report is never changed; a later correction shows as a difference.")
