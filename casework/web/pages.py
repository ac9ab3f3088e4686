"""Helpers shared by the areas' HTML pages."""

from casework.extensions import db


def refused(render) -> tuple:
    """A refused form: undo what the request tried to write, then render the page with its errors.

    The rollback comes first so that the page does not show what was refused. The page's reads
    are access-logged all the same: the log writes them after the request, whatever its status.
    """
    db.session.rollback()
    return render()
