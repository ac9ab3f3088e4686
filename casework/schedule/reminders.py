"""E-mail reminders to referrers: follow-ups due within 14 days and overdue ones.

A reminder names initials, team and date only, and links to the schedule page. Each due date is
reminded once per kind (due soon, overdue), so running the command again sends nothing new.
"""

import datetime as dt

import sqlalchemy as sa

from casework.auth.models import User
from casework.extensions import db
from casework.schedule import mail, service
from casework.schedule.models import ReminderSent

REMIND_DAYS = 14
LOG_PURPOSE = "follow_up_reminder"


def referrers() -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.role == "referrer", User.active.is_(True))
                                   .order_by(User.email)))


def due_reminders(user, today: dt.date) -> list[tuple[service.Entry, str]]:
    """(entry, kind) pairs not reminded yet for this due date."""
    wanted = []
    for entry in service.schedule_for(user, today):
        if entry.next_due is None:
            continue
        if entry.next_due < today:
            wanted.append((entry, "overdue"))
        elif entry.next_due <= today + dt.timedelta(days=REMIND_DAYS):
            wanted.append((entry, "due"))
    if not wanted:
        return []
    query = (sa.select(ReminderSent.participant_id, ReminderSent.kind, ReminderSent.due_on)
             .where(ReminderSent.user_id == user.id))
    sent = {tuple(row) for row in db.session.execute(query).all()}
    return [(e, kind) for e, kind in wanted if (e.participant.id, kind, e.next_due) not in sent]


def remind(user, today: dt.date) -> int:
    """Mail one referrer what is new to remind; record it; return the number of follow-ups."""
    pending = due_reminders(user, today)
    if not pending:
        return 0
    service.with_names([e for e, _ in pending], user, LOG_PURPOSE)
    lines = [_line(entry, kind) for entry, kind in pending]
    body = ("Hej!\n\nDessa uppföljningar med deltagare du har remitterat behöver bokas eller hållas:\n\n"
            + "\n".join(lines) + f"\n\nSe och boka i Casework: {mail.link('/schedule')}\n")
    mail.send_mail(user.email, "Uppföljningar att boka", body)
    for entry, kind in pending:
        db.session.add(ReminderSent(user_id=user.id, participant_id=entry.participant.id, kind=kind,
                                    due_on=entry.next_due, sent_on=today))
    db.session.flush()
    return len(pending)


def _line(entry: service.Entry, kind: str) -> str:
    when = "försenad, skulle hållas" if kind == "overdue" else "ska hållas senast"
    booked = ""
    if entry.open_booking:
        b = entry.open_booking
        booked = f" (bokad {b.scheduled_for.isoformat()}{' ' + b.scheduled_time if b.scheduled_time else ''})"
    return f"- {entry.initials}, {entry.participant.team.name}: {when} {entry.next_due.isoformat()}{booked}"
