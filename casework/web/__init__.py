"""The framework layer shared by every area's pages, JSON API and commands.

Areas build their views on these pieces (the API blueprint and its error shape, page helpers,
form fields, the CLI's commit-once wrapper) instead of on each other. It imports no area.
"""

from flask import Flask, request


def add_nav(app: Flask, endpoint: str, label: str, roles: set[str]) -> None:
    """Areas add their menu entries here; a role sees only the entries meant for it."""
    app.config.setdefault("NAV", []).append((endpoint, label, frozenset(roles)))


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"
