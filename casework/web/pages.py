"""Helpers shared by the areas' HTML pages."""

from casework.extensions import db


def refused(render) -> tuple:
    """A refused form: undo what the request tried to write, then render the page with its errors.

    The page shows personal data again, so its read is logged; the request ends with a 4xx status,
    which rolls back at the edge, so the access-log entry is committed here before that.
    """
    db.session.rollback()
    response = render()
    db.session.commit()
    return response
