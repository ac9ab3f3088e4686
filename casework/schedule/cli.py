"""`casework reminders send` and `casework referrers invite`: idempotent, meant for cron."""

import datetime as dt

import click
from flask.cli import with_appcontext

from casework.schedule import invitations
from casework.schedule import reminders as reminder_service
from casework.web.commands import commit, transactional


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
        commit()  # each mail sent is remembered at once (with its read), even if a later one fails
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
        commit()  # a mailed link is remembered at once (with its read), even if a later mail fails
    click.echo(f"Sent {sent} invitation(s).")
