"""What every area's CLI commands share."""

import sys
from functools import wraps

import click

from casework.errors import DomainError
from casework.extensions import db


def transactional(func):
    """Commit once when the command succeeds; on a domain error print it, roll back and exit 1."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            result = func(*args, **kwargs)
            db.session.commit()
            return result
        except DomainError as exc:
            db.session.rollback()
            for field, messages in (exc.errors or {}).items():
                for message in messages if isinstance(messages, list) else [messages]:
                    click.echo(f"{field}: {message}", err=True)
            if not exc.errors:
                click.echo(f"error: {exc.message}", err=True)
            sys.exit(1)
        except BaseException:
            db.session.rollback()
            raise

    return wrapper
