"""Throttling of guesses (Flask-Limiter, fixed windows, counters shared by every worker).

What is counted, each in a window of CASEWORK_LOGIN_WINDOW_MINUTES:
- sign-in (password, second factor, enrolment): refused attempts per account
  (CASEWORK_LOGIN_ATTEMPTS) and per client address (CASEWORK_LOGIN_ADDRESS_ATTEMPTS). Once a
  count is full every attempt is refused with 429, the right password too, until the window
  ends; a successful sign-in resets nothing.
- bearer tokens: refused tokens per address (CASEWORK_TOKEN_ATTEMPTS). A good token's use is not
  counted: that would cost a write per API call.
- the calendar feed: unknown tokens per address (CASEWORK_TOKEN_ATTEMPTS) and every fetch of one
  feed per hour (CASEWORK_FEED_REQUESTS_PER_HOUR).

A view says that it refused a credential with `refused(kind)`; the count is taken after the
response, when the request's transaction has ended: Flask runs after_request functions in the
reverse order of registration, and the app factory registers its commit hook after the areas,
so after this limiter's. The counts are checked before the view touches the database: the key
functions read only the request and the cookie. Both matter on SQLite, whose write lock the
request's transaction holds (see `casework.auth.counters`).

Keys are keyed hashes (HMAC with SECRET_KEY) of the e-mail address, user id, client address or
token: the counters table holds no personal data and no secret.
"""

import hashlib
import hmac
import math

from flask import current_app, render_template, request, session
from flask_babel import ngettext
from flask_limiter import ApplicationLimit, Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

from casework.audit.security import security_event
from casework.auth import clock, counters  # noqa: F401  (counters registers the casework+db:// scheme)
from casework.extensions import db
from casework.web import wants_json
from casework.web.bearer import bearer_token

REFUSED_KEY = "casework.refused"
PENDING_USER_KEY = "pending_user"
SETTINGS = ("LOGIN_ATTEMPTS", "LOGIN_ADDRESS_ATTEMPTS", "LOGIN_WINDOW_MINUTES", "TOKEN_ATTEMPTS",
            "FEED_REQUESTS_PER_HOUR")


def _digest(kind: str, value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return f"{kind}:{hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]}"


def address_key() -> str:
    return _digest("address", request.remote_addr or "unknown")


def sign_in_account_key() -> str:
    """The account a password is tried for: the e-mail address as typed, case and spaces aside."""
    email = (request.form.get("email") or "").strip().lower()
    return _digest("account", email) if email else address_key()


def pending_account_key() -> str:
    """The account whose second factor is tried: named in the signed cookie by `begin_pending`."""
    user_id = session.get(PENDING_USER_KEY)
    return _digest("account", f"id:{user_id}") if user_id else address_key()


def feed_key() -> str:
    return _digest("feed", (request.view_args or {}).get("token", ""))


def refused(kind: str) -> None:
    """Count this request as a refused credential of `kind` ('sign-in', 'token', 'feed')."""
    request.environ.setdefault(REFUSED_KEY, set()).add(kind)


def _was_refused(kind: str):
    return lambda _response: kind in request.environ.get(REFUSED_KEY, ())


def _has_no_bearer() -> bool:
    return not bearer_token(request)


def _per_window(setting: str):
    return lambda: f"{current_app.config[setting]} per {current_app.config['LOGIN_WINDOW_MINUTES']} minutes"


def _setting(template: str, setting: str):
    return lambda: template.format(current_app.config[setting])


def _on_breach(request_limit) -> None:
    """Note a lock-out once per key and window (the marker counter is shared like the limits;
    it is read first so that a flood of refused requests costs no write each)."""
    marker = f"{request_limit.key}/noted"
    if limiter.storage.get(marker) == 0 and limiter.storage.incr(marker, request_limit.limit.get_expiry()) == 1:
        key, scope = request_limit.request_args[-2:]
        limit_reached(scope, key.split(":")[0])


def limit_reached(scope: str, counted_by: str) -> None:
    """The one place where a new lock-out is reported: which limit and whether it counts per
    account, address, token or feed, never whose (the key is a hash anyway)."""
    security_event("rate_limit_reached", scope=scope, kind=counted_by)


limiter = Limiter(
    key_func=address_key,
    strategy="fixed-window",
    on_breach=_on_breach,
    application_limits=[
        ApplicationLimit(_per_window("TOKEN_ATTEMPTS"), key_function=address_key, scope="bearer-refused",
                         exempt_when=_has_no_bearer, deduct_when=_was_refused("token")),
    ],
)

_sign_in_rules = (
    limiter.shared_limit(_per_window("LOGIN_ATTEMPTS"), "sign-in-account", key_func=sign_in_account_key,
                         methods=["POST"], deduct_when=_was_refused("sign-in")),
    limiter.shared_limit(_per_window("LOGIN_ADDRESS_ATTEMPTS"), "sign-in-address", key_func=address_key,
                         methods=["POST"], deduct_when=_was_refused("sign-in")),
)
_second_factor_rules = (
    limiter.shared_limit(_per_window("LOGIN_ATTEMPTS"), "code-account", key_func=pending_account_key,
                         methods=["POST"], deduct_when=_was_refused("sign-in")),
    _sign_in_rules[1],
)
_feed_rules = (
    limiter.limit(_setting("{} per hour", "FEED_REQUESTS_PER_HOUR"), key_func=feed_key),
    limiter.limit(_per_window("TOKEN_ATTEMPTS"), key_func=address_key, deduct_when=_was_refused("feed")),
)


def _apply(rules, view):
    for rule in rules:
        view = rule(view)
    return view


def sign_in(view):
    """For the password step: refused attempts per account (e-mail) and per address."""
    return _apply(_sign_in_rules, view)


def second_factor(view):
    """For the code and enrolment steps: refused codes per account and per address."""
    return _apply(_second_factor_rules, view)


def feed(view):
    """For the calendar feed: fetches per feed, unknown feeds per address."""
    return _apply(_feed_rules, view)


def retry_after() -> int:
    """Seconds until the breached window of this request ends (at least 1)."""
    breached = limiter.current_limit
    if breached is None:
        return 60
    return max(1, math.ceil(breached.window.reset_time - clock.now().timestamp()))


def too_many(_exc):
    """429 with Retry-After: JSON in the API, a page saying how long to wait on the web."""
    seconds = retry_after()
    minutes = math.ceil(seconds / 60)
    db.session.rollback()
    if wants_json():
        body = {"code": 429, "status": "TooManyRequests",
                "message": f"Too many attempts. Wait {minutes} minute{'s' if minutes != 1 else ''} and try again."}
        return body, 429, {"Retry-After": str(seconds)}
    message = ngettext("För många försök. Vänta %(num)d minut och försök igen.",
                       "För många försök. Vänta %(num)d minuter och försök igen.", minutes)
    return render_template("error.html", status=429, message=message), 429, {"Retry-After": str(seconds)}


def init_app(app) -> None:
    """Before the other auth hooks: the limiter's own before_request must run before any hook
    that may query the database (see the module docstring)."""
    for name in SETTINGS:
        if int(app.config[name]) < 1:
            raise RuntimeError(f"CASEWORK_{name} must be at least 1.")
    if app.config.get("TRUSTED_PROXIES"):
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=0, x_host=0, x_port=0, x_prefix=0)
    limiter.init_app(app)
    app.register_error_handler(429, too_many)
