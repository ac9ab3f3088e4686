"""Security headers on every response: pages, API, static files and errors alike (ASVS 5.0 V3).

The Content-Security-Policy allows nothing inline: every style is a static file, charts are
images (`data:` URIs, which cannot run script). Every response but a static file is `no-store`,
since pages and API answers may carry personal data and must not stay in shared or browser caches.
HSTS is sent only when cookies are marked secure, that is when the service runs behind HTTPS.
"""

from flask import Flask, current_app, request

from casework.audit.security import request_id

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


def secure_headers(response):
    """Add the headers and the request id; a view that set a stricter value of its own (e.g. a feed's Cache-Control) keeps it."""
    for name, value in FIXED.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    response.headers["X-Request-ID"] = request_id()
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
