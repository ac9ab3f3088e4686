import sys

import click
from flask.cli import with_appcontext

from casework.auth.service import create_user, get_user, issue_token, revoke_tokens
from casework.cli import transactional
from casework.vocab import ROLES


@click.group()
def users():
    """Manage user accounts."""


@users.command("add")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(list(ROLES)), help="The user's role.")
@click.option("--team", "teams", multiple=True, help="Team slug (coaches and team leads); repeatable.")
@click.option("--federation", help="Federation name (analysts).")
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
@transactional
def add(email, role, teams, federation, name, password_stdin):
    """Create a user; the password is asked for unless --password-stdin is given."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = create_user({"email": email, "role": role, "teams": list(teams), "federation": federation,
                        "name": name, "password": password})
    click.echo(f"Created {user.role} {user.email}.")


@users.command("token")
@click.argument("email")
@click.option("--revoke", is_flag=True, help="Revoke the user's existing API tokens first.")
@with_appcontext
@transactional
def token(email, revoke):
    """Print a new API bearer token for the user (shown once; only its hash is stored)."""
    user = get_user(email)
    if revoke:
        revoke_tokens(user)
    click.echo(issue_token(user))
