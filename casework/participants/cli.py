"""`casework participants rebuild-states`: the state projection made anew from the log."""

import time

import click
from flask.cli import with_appcontext

from casework.events.projection import rebuild_states
from casework.web.commands import transactional


@click.group()
def participants():
    """Participants: the kept states the team pages read."""


@participants.command("rebuild-states")
@with_appcontext
@transactional
def rebuild_states_command():
    """Make every participant's kept state anew from its log, in one transaction.

    Needed only if the projection was lost or a release changes what it keeps; appends, corrections
    and the import keep it in step by themselves.
    """
    started = time.perf_counter()
    counts = rebuild_states()
    click.echo(f"Rebuilt the states of {counts.participants} participants from {counts.events} events "
               f"in {time.perf_counter() - started:.1f} s.")
