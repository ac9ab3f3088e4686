"""Security headers on every response: pages, API, static files and errors alike (ASVS 5.0 V3).

The Content-Security-Policy allows nothing inline: every style is a static file, charts are
images (`data:` URIs, which cannot run script). Every response but a static file is `no-store`,
since pages and API answers may carry personal data and must not stay in shared or browser caches.
HSTS is sent only when cookies are marked secure, that is when the service runs behind HTTPS.
"""

import re
import uuid

from flask import Flask, current_app, has_request_context, request

CSP_DIRECTIVES = (
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
)
CSP = "; ".join(CSP_DIRECTIVES)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
    "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment", "picture-in-picture",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
))
HSTS = "max-age=31536000; includeSubDomains"
REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$")
FIXED = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}


def init_app(app: Flask) -> None:
    app.after_request(secure_headers)


def request_id() -> str | None:
    """This request's id: the proxy's if it is safe to repeat (`REQUEST_ID`), otherwise a new one."""
    if not has_request_context():
        return None
    if "casework.request_id" not in request.environ:
        incoming = request.headers.get("X-Request-ID", "")
        request.environ["casework.request_id"] = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
    return request.environ["casework.request_id"]


def secure_headers(response):
    """Add the headers and the request id. A view's own value of a header is kept (the download of a
    subject-access export, say, may be stricter); Cache-Control is always no-store but for static files."""
    for name, value in FIXED.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    response.headers["X-Request-ID"] = request_id()
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
