"""Casework: case management for Finsam teams. `create_app` is the application factory."""

import importlib
import os
from pathlib import Path

from flask import Flask, abort, has_request_context, jsonify, render_template, request, session
from flask_babel import get_locale, gettext
from sqlalchemy.engine import make_url

from casework.errors import DomainError
from casework.extensions import api, babel, csrf, db, login_manager, migrate
from casework.web import wants_json
from casework.web.api import error_body
from casework.web.commands import finish_unit_of_work, unit_of_work_pending
from casework.web.messages import error_text

PACKAGE = Path(__file__).resolve().parent
AREAS = ("auth", "teams", "participants", "events", "exchange", "reports", "schedule", "protection", "groups",
         "organisation")


def create_app(overrides: dict | None = None, *, check_keys: bool = True) -> Flask:
    """The service refuses to start (KeyUnavailable) without its key file, or with one that cannot
    unwrap the database's data keys. The `casework` command passes `check_keys=False` and checks
    the key file itself before each command (see casework/cli.py)."""
    from config import Config

    instance_path = os.path.abspath(os.environ.get("CASEWORK_INSTANCE_PATH") or "instance")
    app = Flask(__name__, instance_path=instance_path, template_folder=str(resource_folder("templates")),
                static_folder=str(PACKAGE / "static"))
    private_folder(app.instance_path)
    app.config.from_object(Config(app.instance_path))
    app.config.update(overrides or {})
    private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])

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

    from casework import audit, crypto

    crypto.init_app(app)
    audit.init_app(app)
    for area in AREAS:
        module = importlib.import_module(f"casework.{area}")
        if hasattr(module, "init_app"):
            module.init_app(app)
    _commit_at_the_edge(app)
    _refuse_unreadable_urls(app)
    _error_handlers(app)
    _template_globals(app)
    if check_keys:
        from casework.crypto.startup import require_keys

        require_keys(app, database=True)
    return app


def private_folder(path: str) -> None:
    """The instance folder (database, key file, session key): mode 0700 when it is made here."""
    if not os.path.isdir(path):
        os.makedirs(path, mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)


def private_sqlite_file(url: str) -> None:
    """Make a new SQLite file with mode 0600 before SQLite does (it would follow the umask).

    SQLite gives the -wal and -shm files the database file's mode, so they are private too.
    """
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return
    if os.path.isdir(os.path.dirname(os.path.abspath(name))):
        try:
            os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            return


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
    """Services only flush; a request commits once if it succeeded, and otherwise rolls back.

    Then, whatever the outcome, the access-log entries of what the request read are written in
    a transaction of their own (`finish_unit_of_work`). A request that ends in an unhandled
    exception skips `after_request`; its teardown rolls back and writes them instead.
    """

    @app.after_request
    def commit(response):
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        finish_unit_of_work()
        return response

    @app.teardown_request
    def after_an_exception(exc):
        if unit_of_work_pending():
            try:
                db.session.rollback()
                finish_unit_of_work()
            except Exception:
                app.logger.exception("The deferred writes of a failed request were lost.")


def _refuse_unreadable_urls(app: Flask) -> None:
    """A path part names a record (an id, a ref, a slug, a token): anything else is 404 before
    any view (or query) sees it. A query-string value that may not be stored is refused too."""
    from casework.errors import ValidationFailed
    from casework.text import is_identifier, printable_name, text_problem

    @app.url_value_preprocessor
    def identifiers_only(endpoint, values):
        if endpoint != "static" and any(isinstance(v, str) and not is_identifier(v) for v in (values or {}).values()):
            abort(404)

    @app.before_request
    def readable_query():
        for key, value in request.args.items(multi=True):
            if problem := text_problem(key) or text_problem(value):
                if not wants_json():
                    abort(400)
                raise ValidationFailed(problem, printable_name(key))


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
