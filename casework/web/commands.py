"""What every area's CLI commands share, and the end of a unit of work (request or command).

Some writes must outlive the unit of work's own transaction: the access log keeps the reads of
a request or command that fails and rolls back. Such a writer buffers during the unit of work
and registers here (`after_unit_of_work`); when the unit of work has committed or rolled back,
`finish_unit_of_work` lets each write in a transaction of its own. The request edge
(`casework/__init__.py`), `transactional` and `commit` call it.
"""

import sys
from collections.abc import Callable
from functools import wraps

import click
from flask import Flask, current_app

from casework.errors import DomainError
from casework.extensions import db

WRITERS = "casework.after_unit_of_work"


def after_unit_of_work(app: Flask, pending: Callable[[], bool], write: Callable[[], None]) -> None:
    """Register a deferred writer: `pending()` says whether it holds anything, `write()` writes
    it in its own transaction (committing it) once the unit of work's transaction is over."""
    app.extensions.setdefault(WRITERS, []).append((pending, write))

    @app.teardown_appcontext
    def write_what_is_left(exc):
        """A command that neither committed through `commit`/`transactional` nor crashed before
        the app context ends: its own work is discarded, the deferred writes are not."""
        if pending():
            db.session.rollback()
            write()


def unit_of_work_pending() -> bool:
    return any(pending() for pending, _ in current_app.extensions.get(WRITERS, []))


def finish_unit_of_work() -> None:
    for pending, write in current_app.extensions.get(WRITERS, []):
        if pending():
            write()


def commit() -> None:
    """Commit the session, then the deferred writes (for commands that commit batch by batch)."""
    db.session.commit()
    finish_unit_of_work()


def transactional(func):
    """Commit once when the command succeeds; on a domain error print it, roll back and exit 1.

    Either way the deferred writes (access-log entries) follow in their own transaction.
    """

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            result = func(*args, **kwargs)
            db.session.commit()
            finish_unit_of_work()
            return result
        except DomainError as exc:
            db.session.rollback()
            finish_unit_of_work()
            for field, messages in (exc.errors or {}).items():
                for message in messages if isinstance(messages, list) else [messages]:
                    click.echo(f"{field}: {message}", err=True)
            if not exc.errors:
                click.echo(f"error: {exc.message}", err=True)
            sys.exit(1)
        except BaseException:
            db.session.rollback()
            finish_unit_of_work()
            raise

    return wrapper
