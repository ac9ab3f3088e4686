"""Shared pieces of the JSON API under /api/v1: the error shape, authentication, registration.

Every error is JSON with a 4xx status and the shape of `ApiErrorSchema`:
`{"code": 422, "status": "ValidationFailed", "error": "date.in_future", "message": "...",
"errors": {"field": ["..."]}}`. `code` is the HTTP status; `error` is a stable code for what went
wrong (a rule of the domain: `event.requires_enrolment`; a request that fits no schema:
`validation_failed`; an HTTP error: `http.404`); `message` is its English text.
A body that is not JSON at all gets 400; a well-formed body (or query string) with invalid or
unknown fields gets 422 with one entry per field, exactly like a rule of the domain refused by a
service (`ValidationFailed`, 422). Nested fields are named with dots (`data.category`).

A caller is signed in by the session cookie (writes then need the CSRF token in the
`X-CSRFToken` header, from `GET /api/v1/me`) or by `Authorization: Bearer <token>`
(`casework users token EMAIL`; no CSRF token needed). Without either the answer is 401.
Too many refused tokens from one address are answered 429 with Retry-After, in the same shape.
"""

from http import HTTPStatus

from apispec import BasePlugin
from flask import current_app, request
from flask_login import current_user
from flask_smorest import Blueprint
from flask_wtf.csrf import generate_csrf
from marshmallow import Schema, fields
from webargs.flaskparser import FlaskParser

from casework.errors import DomainError, PermissionDenied, ValidationFailed, flatten_messages
from casework.extensions import api, db
from casework.web.bearer import bearer_token
from casework.web.limits import MAX_JSON_DEPTH, json_depth_exceeds

API_PREFIX = "/api/v1"
CASE_ROLES = frozenset({"coach", "team_lead"})
SECURITY = [{"bearerAuth": []}, {"sessionCookie": []}]


class NotAuthenticated(DomainError):
    status = 401


class MalformedBody(DomainError):
    status = 400


class _Parser(FlaskParser):
    def _raw_load_json(self, req):
        """Refuse JSON nested deeper than the limit here, before any schema walks it."""
        too_deep = MalformedBody("request.too_deep", f"The body is nested deeper than {MAX_JSON_DEPTH} levels.", "json",
                                 levels=MAX_JSON_DEPTH)
        try:
            data = super()._raw_load_json(req)
        except RecursionError:
            raise too_deep from None
        if json_depth_exceeds(data):
            raise too_deep
        return data

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        raise MalformedBody("request.malformed_json", "The body is not valid JSON.", "json")


class ApiBlueprint(Blueprint):
    """flask-smorest's Blueprint with a body that is not JSON answered in the common error shape."""

    ARGUMENTS_PARSER = _Parser()


class ApiErrorSchema(Schema):
    code = fields.Integer(required=True, metadata={"description": "The HTTP status."})
    status = fields.String(required=True, metadata={"description": "The kind of error, e.g. ValidationFailed."})
    error = fields.String(required=True, metadata={
        "description": "A stable code for what went wrong, e.g. event.requires_enrolment or validation_failed."})
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Messages per input field (nested fields dotted: data.category)."})


# flask-smorest documents its own answers (the 422 of a body or query string that fits no schema,
# the default error) with this schema; they are answered in this shape (`_unprocessable`).
api.ERROR_SCHEMA = ApiErrorSchema


def current_api_user():
    """The signed-in user, or 401 (never a redirect to the login page)."""
    if not current_user.is_authenticated:
        raise NotAuthenticated("auth.required", "Sign in or send a bearer token.")
    return current_user._get_current_object()


def require_case_role(user) -> None:
    """Case content is for coaches and team leads only (DOMAIN.md §1); others get 403 whatever the id."""
    if user.role not in CASE_ROLES:
        raise PermissionDenied("participant.role_denied", "Your role gives no access to participants.")


def error_responses(*codes: int):
    """Document the error answers of an operation with the common error schema.

    An operation that authenticates (401) may also answer 429: an address that has sent too
    many refused bearer tokens is refused every token for a while (`casework.auth.throttle`).
    """
    if 401 in codes and 429 not in codes:
        codes = (*codes, 429)

    def decorate(view):
        for code in codes:
            view = _alt_response(code)(view)
        return view

    return decorate


def _alt_response(code: int):
    return _docs_blueprint.alt_response(code, schema=ApiErrorSchema, description=HTTPStatus(code).phrase)


# alt_response only records documentation on the view; any smorest Blueprint can record it.
_docs_blueprint = Blueprint("api_errors_doc", __name__)


def api_blueprint(name: str, import_name: str, description: str) -> Blueprint:
    """A smorest Blueprint under /api/v1 whose every route needs a signed-in caller."""
    blp = ApiBlueprint(name, import_name, url_prefix=API_PREFIX, description=description)
    blp.before_request(_authenticate)
    blp.after_request(_challenge)
    return blp


def _authenticate():
    current_api_user()


def _challenge(response):
    """A 401 says how to authenticate (RFC 6750)."""
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="casework"')
    return response


def register(app, *blueprints: Blueprint) -> None:
    """Register API blueprints; the first call for an app also installs the shared parts."""
    if not app.extensions.get("casework.web.api"):
        _install(app)
        app.extensions["casework.web.api"] = True
    for blp in blueprints:
        api.register_blueprint(blp)


class CommonErrorsPlugin(BasePlugin):
    """Documents on every API operation the errors every route of its kind can answer.

    Every route authenticates (401, and 429 past the refused-token limit); a path with a
    parameter can name nothing (404: an unknown id, or one that is not an identifier at all);
    a body can be too large (413), not JSON (400) or fit no schema (422), and a query string
    can fit no schema (422). Routes add what is theirs (403, 409) with `error_responses`.
    """

    def operation_helper(self, path=None, operations=None, **kwargs):
        if not (path or "").startswith(API_PREFIX):
            return
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            documented = {str(code) for code in responses}  # flask-smorest keys them by int
            for code in self._codes(path, operation):
                if str(code) not in documented:
                    responses[str(code)] = HTTPStatus(code).name

    @staticmethod
    def _codes(path: str, operation: dict) -> list[int]:
        codes = [401, 429]
        if "{" in path:
            codes.append(404)
        if "requestBody" in operation:
            codes += [400, 413, 422]
        if any(parameter.get("in") == "query" for parameter in operation.get("parameters", [])):
            codes.append(422)
        return codes


def _install(app) -> None:
    spec = api.spec
    plugin = CommonErrorsPlugin()
    plugin.init_spec(spec)
    spec.plugins.append(plugin)
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer",
                                                   "description": "casework users token EMAIL"})
    spec.components.security_scheme("sessionCookie", {"type": "apiKey", "in": "cookie", "name": "session",
                                                      "description": "Writes also need X-CSRFToken."})
    spec.options["security"] = SECURITY
    app.register_error_handler(422, _unprocessable)
    api.register_blueprint(session_blp)


def _unprocessable(exc):
    """flask-smorest's own validation errors in the shape of the domain's: 422, field names as keys."""
    db.session.rollback()
    messages = (getattr(exc, "data", None) or {}).get("messages") or {}
    errors = {}
    for location_messages in messages.values():
        errors.update(flatten_messages(location_messages))
    body = {"code": 422, "status": "ValidationFailed", "error": ValidationFailed.default_code,
            "message": "Invalid input.", "errors": errors}
    return body, 422


def error_body(exc: DomainError) -> dict:
    """A domain error in the common shape (`errors` only when there are field errors)."""
    body = {"code": exc.status, "status": type(exc).__name__, "error": exc.code, "message": exc.message}
    if exc.errors:
        body["errors"] = flatten_messages(exc.errors)
    return body


class MeSchema(Schema):
    id = fields.String(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    teams = fields.List(fields.String(), required=True, metadata={"description": "Slugs of the caller's teams."})
    csrf_token = fields.String(allow_none=True, metadata={
        "description": "For session callers: send it as X-CSRFToken on writes. Null for bearer callers."})


session_blp = api_blueprint("api_session", __name__, "The signed-in caller.")


@session_blp.route("/me")
@session_blp.response(200, MeSchema)
@error_responses(401)
def me():
    """Who the caller is; a session caller also gets the CSRF token for writes."""
    user = current_api_user()
    uses_session = not bearer_token(request) and current_app.config.get("WTF_CSRF_ENABLED", True)
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
            "teams": [t.slug for t in user.teams], "csrf_token": generate_csrf() if uses_session else None}
