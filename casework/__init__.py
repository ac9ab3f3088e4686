"""Casework: case management for Finsam teams. `create_app` is the application factory."""

import importlib
import os
from pathlib import Path

from flask import Flask, has_request_context, jsonify, render_template, session
from flask_babel import get_locale, gettext

from casework.errors import DomainError
from casework.extensions import api, babel, csrf, db, login_manager, migrate
from casework.web import wants_json
from casework.web.api import error_body
from casework.web.messages import error_text

PACKAGE = Path(__file__).resolve().parent
AREAS = ("auth", "teams", "participants", "events", "exchange", "reports", "schedule", "protection")


def create_app(overrides: dict | None = None) -> Flask:
    from config import Config

    instance_path = os.path.abspath(os.environ.get("CASEWORK_INSTANCE_PATH") or "instance")
    app = Flask(__name__, instance_path=instance_path, template_folder=str(resource_folder("templates")),
                static_folder=str(PACKAGE / "static"))
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_object(Config(app.instance_path))
    app.config.update(overrides or {})

    import casework.models  # noqa: F401  (every model on the metadata, for migrations)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_folder("migrations")), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_locale)
    api.init_app(app)
    from casework.audit import security
    from casework.web import headers, limits

    for hardening in (limits, headers, security):
        hardening.init_app(app)

    from casework import crypto

    crypto.init_app(app)
    for area in AREAS:
        module = importlib.import_module(f"casework.{area}")
        if hasattr(module, "init_app"):
            module.init_app(app)
    _commit_at_the_edge(app)
    _error_handlers(app)
    _template_globals(app)
    return app


def resource_folder(name: str) -> Path:
    """`templates` or `migrations`: kept at the top of the checkout, installed inside the package.

    A wheel carries them as `casework/_templates` and `casework/_migrations` (see pyproject.toml); a
    checkout, or an editable install of it, has only the top-level folder beside `casework/`.
    """
    installed = PACKAGE / f"_{name}"
    return installed if installed.is_dir() else PACKAGE.parent / name


def _template_globals(app: Flask) -> None:
    from casework import vocab

    @app.context_processor
    def globals_():
        return {"nav_items": lambda: app.config.get("NAV", []), "roles": vocab.ROLES, "vocab": vocab,
                "get_locale": get_locale}


def _locale() -> str:
    from flask import current_app

    wanted = session.get("lang") if has_request_context() else None
    return wanted if wanted in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _commit_at_the_edge(app: Flask) -> None:
    """Services only flush; a request commits once if it succeeded, and otherwise rolls back."""

    @app.after_request
    def commit(response):
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response


def _error_handlers(app: Flask) -> None:
    app.add_template_filter(error_text)

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()
        if wants_json():
            return jsonify(error_body(exc)), exc.status
        return render_template("error.html", status=exc.status, message=error_text(exc)), exc.status

    for status, text in {400: "Felaktig begäran.", 403: "Du har inte behörighet till detta.",
                         404: "Sidan finns inte.", 405: "Metoden stöds inte.", 413: "Förfrågan är för stor.",
                         500: "Något gick fel hos oss. Försök igen om en stund."}.items():
        app.register_error_handler(status, _http_error(status, text))


def _http_error(status: int, text: str):
    """werkzeug's answer in our shape; its headers (`Allow` on a 405) are kept. A 500 shows no details."""

    def handler(exc):
        db.session.rollback()
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        if wants_json():
            return jsonify({"code": status, "status": exc.name.replace(" ", ""), "error": f"http.{status}",
                            "message": exc.description or text}), status, headers
        return render_template("error.html", status=status, message=gettext(text)), status, headers

    return handler
