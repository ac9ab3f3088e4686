"""A group session: the one record behind the `activity` events of its attendees.

The row holds only what is not personal and never changes: team, external id, date, kind and
leader. Who attended and for how many hours are the attendees' `activity` events (with
`group_session_id` and `hours`), so a correction of the session is a set of `correction` events and
the row never goes stale. The session's note is personal data: it is stored encrypted on each
attendee's event, under that participant's key, so erasing one attendee erases their copy.
"""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.db import id_column, timestamp_column
from casework.extensions import db


class GroupSession(db.Model):
    __tablename__ = "group_sessions"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "ext_id"),
        sa.Index("ix_group_sessions_team_date", "team_id", "date"),
    )

    id: Mapped[str] = id_column()
    ext_id: Mapped[str] = mapped_column(sa.String(64))
    team_id: Mapped[str] = mapped_column(sa.ForeignKey("teams.id"))
    date: Mapped[dt.date] = mapped_column(sa.Date)
    kind: Mapped[str] = mapped_column(sa.String(40))
    leader_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_by_id: Mapped[str | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = timestamp_column()

    team = relationship("Team")
    leader = relationship("User", foreign_keys=[leader_id])
