"""`casework report …` and `casework reports close-due`."""

import sys
import time

import click
from flask.cli import with_appcontext

from casework.errors import ValidationFailed
from casework.reports import formats, periods
from casework.reports.finsam import FINSAM_FORMATS, finsam_content
from casework.reports.projection import rebuild
from casework.reports.render import render, report_title
from casework.reports.service import figures, scope_for
from casework.reports.snapshots import close_due, comparison_for
from casework.reports.texts import current_texts
from casework.teams.service import get_federation, get_team
from casework.web.commands import output_options, transactional, write_output


@click.command("report")
@click.option("--team", help="The team's slug.")
@click.option("--federation", help="The federation's name.")
@click.option("--from", "start", help="First day, YYYY-MM-DD.")
@click.option("--to", "end", help="Last day, YYYY-MM-DD (inclusive).")
@click.option("--half-year", "half", help="A half-year such as 2021H1.")
@click.option("--year", help="A calendar year such as 2020.")
@click.option("--operational-year", "op_year", help="An operational year (July–June) such as 2020/21.")
@click.option("--format", "fmt", default="json", show_default=True,
              help="json, csv, xlsx, html, docx or pdf (xlsx, docx and pdf need --output or a pipe).")
@click.option("--suppressed", is_flag=True,
              help="As readers outside the team see it (analysts): small cells hidden, named periods only.")
@click.option("--uppfoljning-finsam", "finsam", is_flag=True,
              help="Uppföljning Finsam for --federation and --year: one row per team (json, csv or xlsx).")
@output_options
@with_appcontext
@transactional
def report_command(team, federation, start, end, half, year, op_year, fmt, suppressed, finsam, output, force):
    """Print the statistics of DOMAIN.md §3 for a team or a federation over a period."""
    if finsam:
        emit(finsam_output(federation, year, fmt, suppressed, to_file=bool(output)), output, force)
        return
    period = periods.resolve(start=start, end=end, half=half, year=year, op_year=op_year)
    formats.check_format(fmt)
    if not output:
        check_terminal(fmt)
    scope = scope_for(team, federation)
    report = comparison_for(scope, period, figures(scope, period, suppressed=suppressed), suppressed=suppressed)
    texts = None if suppressed else current_texts(scope, period)
    emit(render(report, scope, period, fmt, title=report_title(scope, period), texts=texts), output, force)


def emit(content: str | bytes, output, force: bool) -> None:
    if output:
        write_output(output, content, force=force)
    elif isinstance(content, bytes):
        sys.stdout.buffer.write(content)
    else:
        click.echo(content)


def finsam_output(federation: str | None, year: str | None, fmt: str, suppressed: bool, *,
                  to_file: bool) -> str | bytes:
    """Uppföljning Finsam of a federation's calendar year in json, csv or xlsx."""
    if not federation:
        raise ValidationFailed("finsam.federation_required", "Uppföljning Finsam needs --federation.", "federation")
    if not year:
        raise ValidationFailed("finsam.year_required", "Uppföljning Finsam needs --year (a calendar year).", "year")
    if fmt not in FINSAM_FORMATS:
        raise ValidationFailed("finsam.format", "Uppföljning Finsam is given as json, csv or xlsx.", "format")
    if not to_file:
        check_terminal(fmt)
    return finsam_content(get_federation(federation), year, fmt, suppressed=suppressed)


def check_terminal(fmt: str) -> None:
    """Binary formats are written to a file or a pipe (called when no --output is given)."""
    if fmt in formats.BINARY_FORMATS and stdout_is_terminal():
        raise ValidationFailed("report.binary_to_terminal",
                               f"{fmt.upper()} is not written to a terminal; give --output FILE.", "output",
                               format=fmt.upper())


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


@click.group("reports")
def reports_group():
    """Frozen half-year and year reports, and the report projection."""


@reports_group.command("close-due")
@with_appcontext
@transactional
def close_due_command():
    """Freeze every ended half-year and year of every team (idempotent; run daily from cron)."""
    made = close_due()
    for snapshot in made:
        click.echo(f"{snapshot.team.slug} {snapshot.period_name} {snapshot.content_hash}")
    click.echo(f"{len(made)} snapshot(s) frozen.")


@reports_group.command("rebuild")
@click.option("--team", help="Only this team's participants (slug); every team by default.")
@with_appcontext
@transactional
def rebuild_command(team):
    """Make the report projection anew from the log, in one transaction (all of it or nothing)."""
    started = time.perf_counter()
    counts = rebuild([get_team(team).id] if team else None)
    click.echo(f"{counts.participants} participant(s), {counts.events} event(s) read, "
               f"{counts.paths} path(s) kept, in {time.perf_counter() - started:.1f} s.")
