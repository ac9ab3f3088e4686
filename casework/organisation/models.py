import datetime as dt
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.db import id_column, timestamp_column
from casework.extensions import db


class StaffPeriod(db.Model):
    """One staff member's role, employer and extent for a period; a change of extent is a new
    period of the same `staff_ref`. The name is an employee's, kept unencrypted (DOMAIN.md §6)."""

    __tablename__ = "organisation_staff"
    __table_args__ = (sa.UniqueConstraint("team_id", "staff_ref", "start_date"),)

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    staff_ref: Mapped[str] = mapped_column(sa.String(64))
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(100))
    employer: Mapped[str] = mapped_column(sa.String(20))
    extent_percent: Mapped[int] = mapped_column(sa.Integer)
    start_date: Mapped[dt.date] = mapped_column(sa.Date)
    end_date: Mapped[dt.date | None] = mapped_column(sa.Date, nullable=True)


class BudgetLine(db.Model):
    """One budget line of a team for a period, in whole kronor."""

    __tablename__ = "organisation_budget_lines"
    __table_args__ = (sa.UniqueConstraint("team_id", "line", "start_date", "end_date"),)

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    line: Mapped[str] = mapped_column(sa.String(40))
    start_date: Mapped[dt.date] = mapped_column(sa.Date)
    end_date: Mapped[dt.date] = mapped_column(sa.Date)
    decided: Mapped[int] = mapped_column(sa.BigInteger)
    outcome: Mapped[int | None] = mapped_column(sa.BigInteger, nullable=True)
    forecast: Mapped[int | None] = mapped_column(sa.BigInteger, nullable=True)


class Meeting(db.Model):
    """A steering-group (or other) meeting of a team; one of a kind a day."""

    __tablename__ = "organisation_meetings"
    __table_args__ = (sa.UniqueConstraint("team_id", "date", "kind"),)

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    date: Mapped[dt.date] = mapped_column(sa.Date)
    kind: Mapped[str] = mapped_column(sa.String(40))


class OrganisationChange(db.Model):
    """One change of a staff period, budget line or meeting: when, by whom (no user for an import),
    and the record's values before (none when added) and after. Never updated or deleted."""

    __tablename__ = "organisation_changes"

    id: Mapped[str] = id_column()
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    record_kind: Mapped[str] = mapped_column(sa.String(20))
    record_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    changed_at: Mapped[datetime] = timestamp_column()
    changed_by_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    source: Mapped[str] = mapped_column(sa.String(20))
    before: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True), nullable=True)
    after: Mapped[dict] = mapped_column(sa.JSON)

    changed_by = relationship("User")
