"""Who is calling: a server-side session record (web) or a bearer token (API).

flask-login keeps the value it loads a user by in the cookie under `_user_id`; here that value
is the session record's secret, never the user's id, so that every request goes through
`sessions.current` (idle timeout, absolute lifetime, sign-out, deactivation) and a cookie is
worthless once its record has ended. flask-login's own session protection is off: the server-side
record does that job, and its check would drop a record's cookie for a changed address.
"""

from flask import g, jsonify, request, session
from flask_login import current_user, logout_user

from casework.auth import sessions, throttle, tokens
from casework.auth.models import User
from casework.errors import PermissionDenied
from casework.extensions import csrf, login_manager
from casework.web.api import error_body
from casework.web.bearer import bearer_token

USER_KEY = "_user_id"  # flask-login's cookie key for what user_loader is called with
PENDING_KEY = "pending_sign_in"


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Logga in för att fortsätta."
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(secret: str):
        row = sessions.current(secret)
        g.user_session = row
        return row.user if row is not None else None

    @app.before_request
    def no_session_record_yet():
        g.user_session = None

    @app.before_request
    def bearer_decides_the_caller():
        """A bearer token names the caller whatever session cookie comes along; a read-only token
        is refused any method that could change something, here, before any route runs."""
        token = bearer_token(request)
        if not token:
            return None
        row = tokens.usable_token(token)
        if row is None:
            throttle.refused("token")
        g._login_user = row.user if row is not None else login_manager.anonymous_user()
        if row is not None and not tokens.allows(row, request.method):
            refusal = PermissionDenied("token.read_only", "This token may only read (scope 'read').")
            return jsonify(error_body(refusal)), 403
        return None

    @app.before_request
    def csrf_unless_bearer():
        """Forms and session-authenticated API calls need the CSRF token; bearer calls do not.

        An API call with neither a session nor a token is left to the route, which answers 401.
        """
        if (app.config.get("WTF_CSRF_ENABLED", True) and request.method in ("POST", "PUT", "PATCH", "DELETE")
                and not bearer_token(request) and not _anonymous_api_call()):
            csrf.protect()

    app.config["WTF_CSRF_CHECK_DEFAULT"] = False


def _anonymous_api_call() -> bool:
    return request.path.startswith("/api/") and not current_user.is_authenticated


def _fresh_cookie() -> None:
    """Nothing from before sign-in survives but the chosen language. Flask-WTF caches the CSRF
    token of the request in `g`; it goes too, or the page rendered next would carry a token that
    the cleared cookie no longer backs."""
    lang = session.get("lang")
    session.clear()
    g.pop("csrf_token", None)
    if lang:
        session["lang"] = lang


def begin_session(user: User) -> None:
    """Signed in after both factors: a fresh cookie holding a fresh record's secret only."""
    _fresh_cookie()
    secret, row = sessions.start(user, "full", request.headers.get("User-Agent"))
    session[USER_KEY] = secret
    session["_fresh"] = True
    g.user_session = row
    g._login_user = user


def end_session() -> None:
    row = current_session()
    if row is not None:
        sessions.end(row)
    logout_user()
    _fresh_cookie()


def begin_pending(user: User) -> None:
    """Password accepted, second factor to come: the cookie names a pending record, and the
    account for the throttling of wrong codes (which must not query before it counts)."""
    _fresh_cookie()
    secret, _row = sessions.start(user, "pending", request.headers.get("User-Agent"))
    session[PENDING_KEY] = secret
    session[throttle.PENDING_USER_KEY] = user.id


def pending_session():
    """The live pending record of this browser, or None (expired, ended, or never begun)."""
    return sessions.current(session.get(PENDING_KEY), stage="pending")


def current_session():
    """The record of the signed-in browser (None for a bearer caller)."""
    current_user._get_current_object()  # loads the user and with it g.user_session
    return g.get("user_session")

