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
    `settings` are the team settings it was computed with (NULL for snapshots frozen before they
    were kept), so that a later settings change never silently re-reads a frozen report.
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
    settings: Mapped[dict | None] = mapped_column(sa.JSON, nullable=True)
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


class ReportText(db.Model):
    """One version of a text field of a team's report for a period (DOMAIN.md §3, issue 11).

    Saving adds a version (who and when); the newest version of each field is the text. Never
    updated or deleted. The texts describe the team's work for its steering group, not a person,
    and are not encrypted: the form asks the writer to name no participant.
    """

    __tablename__ = "report_texts"
    __table_args__ = (sa.Index("ix_report_texts_team_period", "team_id", "period_start", "period_end"),)

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"))
    period_start: Mapped[dt.date] = mapped_column(sa.Date)
    period_end: Mapped[dt.date] = mapped_column(sa.Date)
    field: Mapped[str] = mapped_column(sa.String(80))
    body: Mapped[str] = mapped_column(sa.Text)
    written_by: Mapped[str] = mapped_column(sa.ForeignKey("users.id"))
    written_at: Mapped[dt.datetime] = timestamp_column()


@sa_event.listens_for(ReportText, "before_update")
@sa_event.listens_for(ReportText, "before_delete")
def _refuse_text_change(mapper, connection, target):
    raise ImmutableSnapshot("A report text is never changed in place; saving adds a new version.")


class ReportPath(db.Model):
    """The report projection: one row per participant with what reports read of its log.

    The (corrected) statistical facts and the participant's path over its whole effective log
    (`casework.reports.projection`: episodes, referrals, steps… in a compact JSON form), with the
    days that decide whether the participant can count in a period: `first_day` and `last_day`,
    the earliest and latest day in the path (NULL when it has none), and `open`, an enrolment or
    referral not yet ended. Derived, never a source: kept in the transaction of every change to
    the log and rebuilt from the log by `casework reports rebuild`.
    """

    __tablename__ = "report_paths"
    __table_args__ = (sa.Index("ix_report_paths_team_last_day", "team_id", "last_day"),)

    participant_id: Mapped[str] = mapped_column(sa.ForeignKey("participants.id"), primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"))
    gender: Mapped[str] = mapped_column(sa.String(16))
    birth_year: Mapped[int] = mapped_column(sa.Integer)
    education: Mapped[str] = mapped_column(sa.String(32))
    support_months_before: Mapped[int | None] = mapped_column(sa.Integer)
    first_day: Mapped[dt.date | None] = mapped_column(sa.Date)
    last_day: Mapped[dt.date | None] = mapped_column(sa.Date)
    open: Mapped[bool] = mapped_column(sa.Boolean)
    path: Mapped[str] = mapped_column(sa.Text)
