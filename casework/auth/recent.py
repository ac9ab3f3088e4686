"""Re-authentication before grave actions (erasure, subject-access export, key operations)."""

from functools import wraps

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.auth import sessions
from casework.auth.login import current_session
from casework.extensions import login_manager


def require_recent_auth(minutes: int = 5):
    """The view runs only if this browser proved password and code within `minutes`; otherwise
    the user is sent to re-authenticate and then back (a form post: back to the page it came
    from, to submit again, since a POST cannot be replayed by a redirect)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            row = current_session()
            if row is None:
                abort(403)  # a bearer token cannot re-authenticate: these actions are for the web only
            if sessions.authenticated_within(row, minutes):
                return view(*args, **kwargs)
            if request.method == "GET":
                target = request.full_path.rstrip("?")
            else:
                target = _same_site_referrer()
                flash(_("Bekräfta att det är du och gör sedan om åtgärden."), "error")
            return redirect(url_for("auth.reauth", next=target))

        return wrapper

    return decorator


def _same_site_referrer() -> str | None:
    referrer = request.referrer or ""
    root = request.host_url
    return "/" + referrer[len(root):] if referrer.startswith(root) else None
