"""`casework reminders send` and `casework referrers invite`: idempotent, meant for cron."""

import datetime as dt

import click
from flask.cli import with_appcontext

from casework.web.commands import transactional
from casework.extensions import db
from casework.schedule import invitations, reminders as reminder_service


@click.group()
def reminders():
    """E-mail reminders of follow-ups."""


@reminders.command("send")
@with_appcontext
@transactional
def send():
    """Mail each referrer their follow-ups due within 14 days and overdue ones, once per due date.

    Run daily from cron; a second run the same day sends nothing new.
    """
    today = dt.date.today()
    total = mailed = 0
    for user in reminder_service.referrers():
        count = reminder_service.remind(user, today)
        db.session.commit()  # each mail sent is remembered at once, even if a later one fails
        total += count
        mailed += bool(count)
    click.echo(f"Reminded {mailed} referrer(s) of {total} follow-up(s).")


@click.group()
def referrers():
    """Referrer accounts: invitations."""


@referrers.command("invite")
@with_appcontext
@transactional
def invite():
    """Mail a one-time sign-up link to each referrer e-mail without an account (once each)."""
    sent = 0
    for invitation in invitations.pending_invitations():
        sent += invitations.send_invitation(invitation)
        db.session.commit()  # a mailed link is remembered at once, even if a later mail fails
    click.echo(f"Sent {sent} invitation(s).")
