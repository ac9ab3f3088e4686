import sys

import click
from flask.cli import with_appcontext

from casework.auth import service, tokens, twofactor
from casework.vocab import ROLES
from casework.web.commands import transactional


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
    """Create a user; the password is asked for unless --password-stdin is given.

    The password has at least 12 characters and is not a common one nor a simple pattern.
    The user sets up the second factor (an authenticator app) at the first sign-in.
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = service.create_user({"email": email, "role": role, "teams": list(teams), "federation": federation,
                                "name": name, "password": password})
    click.echo(f"Created {user.role} {user.email}.")


@users.command("token")
@click.argument("email")
@click.option("--scope", type=click.Choice(tokens.SCOPES), default="read", show_default=True,
              help="read: GET and HEAD only; write: also POST, PUT, PATCH and DELETE.")
@click.option("--days", type=click.IntRange(1, tokens.MAX_DAYS), default=tokens.DEFAULT_DAYS, show_default=True,
              help="Days until the token expires.")
@click.option("--name", default="", help="What the token is for (shown on the account page).")
@click.option("--revoke", is_flag=True, help="Revoke the user's existing API tokens first.")
@with_appcontext
@transactional
def token(email, scope, days, name, revoke):
    """Print a new API bearer token for the user (shown once; only its hash is stored)."""
    user = service.get_user(email)
    if revoke:
        tokens.revoke_tokens(user)
    click.echo(tokens.issue_token(user, scope=scope, days=days, name=name))


@users.command("tokens")
@click.argument("email")
@with_appcontext
@transactional
def list_tokens(email):
    """List the user's API tokens: id, name, scope, created, expires, last used, state."""
    user = service.get_user(email)
    for row in tokens.tokens_of(user):
        state = "current" if tokens.is_current(row) else "revoked" if row.revoked_at else "expired"
        click.echo("\t".join([row.id, row.name or "-", row.scope, _when(row.created_at), _when(row.expires_at),
                              _when(row.last_used_at), state]))


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


@users.command("revoke-token")
@click.argument("token_id")
@with_appcontext
@transactional
def revoke_token(token_id):
    """Revoke one token by its id (see `users tokens`)."""
    tokens.revoke(tokens.get_token(token_id))
    click.echo(f"Revoked token {token_id}.")


@users.command("deactivate")
@click.argument("email")
@with_appcontext
@transactional
def deactivate(email):
    """Refuse the user's sign-in from now on; end their sessions and revoke their tokens at once."""
    user = service.get_user(email)
    service.deactivate(user)
    click.echo(f"Deactivated {user.email}; sessions ended, tokens revoked.")


@users.command("activate")
@click.argument("email")
@with_appcontext
@transactional
def activate(email):
    """Let a deactivated user sign in again (tokens stay revoked)."""
    user = service.get_user(email)
    service.activate(user)
    click.echo(f"Activated {user.email}.")


@users.command("reset-2fa")
@click.argument("email")
@with_appcontext
@transactional
def reset_2fa(email):
    """Forget the user's authenticator and recovery codes and end their sessions; the next
    sign-in sets up a new authenticator."""
    user = service.get_user(email)
    twofactor.reset(user)
    click.echo(f"Second factor reset for {user.email}; sessions ended.")


