"""Session sign-in (flask-login) and bearer tokens for the API."""

from flask import g, request
from flask_login import current_user

from casework.auth.models import User
from casework.extensions import csrf, db, login_manager


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Logga in för att fortsätta."
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, user_id)
        return user if user is not None and user.active else None

    @app.before_request
    def bearer_decides_the_caller():
        """A bearer token names the caller whatever session cookie comes along: flask-login's
        strong session protection would otherwise refuse a request carrying a stale cookie
        before it ever looked at the token."""
        from casework.auth.service import user_for_token

        token = bearer_token(request)
        if token:
            g._login_user = user_for_token(token) or login_manager.anonymous_user()

    @login_manager.request_loader
    def load_user_from_bearer(req):
        from casework.auth.service import user_for_token

        token = bearer_token(req)
        return user_for_token(token) if token else None

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


def bearer_token(req) -> str | None:
    header = req.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None
