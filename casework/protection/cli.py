"""`casework gdpr …` and `casework audit …`: erasure, retention, subject access, the access log."""

import json
import sys

import click
from flask.cli import with_appcontext

from casework.participants.service import get_participant
from casework.teams.service import get_team
from casework.web.commands import output_options, transactional, write_output


def _participant(ident: str, team_slug: str | None):
    team_ids = {get_team(team_slug).id} if team_slug else None
    return get_participant(ident, team_ids)


team_option = click.option("--team", "team_slug", help="Team slug, when the reference is used in several teams.")


@click.group()
def gdpr():
    """Data protection: erasure, retention, subject access."""


@gdpr.command("erase")
@click.argument("participant")
@click.option("--reason", required=True, help="Why (kept in the ledger; no personal data).")
@click.option("--force", is_flag=True, help="Erase even though the participant is still enrolled.")
@team_option
@with_appcontext
def erase(participant, reason, force, team_slug):
    """Erase PARTICIPANT (id or ref) by destroying their data key."""
    from casework.protection.erasure import wipe_freed_space

    pid = _erase(participant, reason, force, team_slug)
    click.echo(f"Erased {pid}.")
    _wipe(wipe_freed_space)


@transactional
def _erase(ident, reason, force, team_slug) -> str:
    from casework.protection.erasure import erase_participant

    participant = _participant(ident, team_slug)
    erase_participant(participant, reason, None, force=force)
    return participant.id


@gdpr.command("replay-erasures")
@with_appcontext
def replay():
    """Re-apply the erasure ledger (run after every restore from backup, before anything else)."""
    from casework.protection.erasure import wipe_freed_space

    done = _replay()
    click.echo(f"Re-applied {len(done)} erasure(s).")
    if done:
        _wipe(wipe_freed_space)


@transactional
def _replay():
    from casework.protection.erasure import replay_erasures

    return replay_erasures()


def _wipe(wipe) -> None:
    if not wipe():
        click.echo("warning: the database was busy; freed space is not yet cleared. "
                   "Run `casework gdpr wipe` when it is quiet.", err=True)


@gdpr.command("wipe")
@with_appcontext
def wipe_command():
    """Clear freed database pages and the WAL (SQLite) or dead rows (PostgreSQL) after erasures."""
    from casework.protection.erasure import wipe_freed_space

    if not wipe_freed_space():
        fail("the database is busy; nothing was cleared, try again later")
    click.echo("Freed space cleared.")


@click.group()
def audit():
    """The access log (loggkontroll)."""


def register(app) -> None:
    for group in (gdpr, audit):
        app.cli.add_command(group)


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@audit.command("verify")
@click.option("--reset-anchor", is_flag=True,
              help="After a database restore: check the chain alone, set the anchor file aside and anchor afresh.")
@with_appcontext
def verify(reset_anchor):
    """Check the access log's keyed chain and its end (the anchor file); exit 1 at the first problem."""
    from casework.audit.verification import verify_chain

    result = verify_chain(reset_anchor=reset_anchor)
    if not result.ok:
        subject = f"entry {result.broken_id} " if result.broken_id is not None else ""
        fail(f"the access log is not intact: {subject}{result.problem} ({result.checked} entries checked)")
    anchored = f", anchored at entry {result.head.id}" if result.head else ""
    click.echo(f"The access log is intact: {result.checked} entries{anchored}.")


@gdpr.command("enforce-retention")
@click.option("--dry-run", is_flag=True, help="Only list who would be erased and why.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Evaluate as of this date (default today).")
@with_appcontext
def enforce_retention_command(dry_run, today):
    """Erase everyone past their team's retention time (idempotent; run daily from cron)."""
    from casework.protection.erasure import wipe_freed_space

    due = _enforce(dry_run, today.date() if today else None)
    for item in due:
        click.echo(("would erase " if dry_run else "erased ") + item.line())
    if due and not dry_run:
        _wipe(wipe_freed_space)
    click.echo(f"{len(due)} participant(s) {'due' if dry_run else 'erased'}.")


@transactional
def _enforce(dry_run, today):
    from casework.protection.retention import enforce_retention

    return enforce_retention(today, dry_run=dry_run)


@gdpr.command("hold")
@click.argument("participant")
@click.option("--reason", required=True, help="Why (no personal data).")
@team_option
@with_appcontext
@transactional
def hold(participant, reason, team_slug):
    """Put PARTICIPANT on legal hold: retention will not erase them until released."""
    from casework.protection.retention import set_legal_hold

    set_legal_hold(_participant(participant, team_slug), reason)
    click.echo("Legal hold set.")


@gdpr.command("release")
@click.argument("participant")
@team_option
@with_appcontext
@transactional
def release(participant, team_slug):
    """Release PARTICIPANT's legal hold."""
    from casework.protection.retention import release_legal_hold

    release_legal_hold(_participant(participant, team_slug))
    click.echo("Legal hold released.")


@gdpr.command("export")
@click.argument("participant")
@output_options
@click.option("--html", "as_html", is_flag=True, help="A readable page in Swedish instead of JSON.")
@team_option
@with_appcontext
@transactional
def export(participant, output, force, as_html, team_slug):
    """Subject access (Art. 15/20): PARTICIPANT's whole record, decrypted (logged)."""
    from casework.protection.subject_access import render_html, subject_access_record

    record = subject_access_record(_participant(participant, team_slug))
    text = render_html(record) if as_html else json.dumps(record, ensure_ascii=False, indent=2)
    if output:
        write_output(output, text, force=force)
        click.echo(f"Wrote {output}.", err=True)
    else:
        click.echo(text)
