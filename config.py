"""Configuration, read from CASEWORK_* environment variables (see README.md)."""

import os
from pathlib import Path


def _env(name: str, default=None):
    return os.environ.get(f"CASEWORK_{name}", default)


def _bool(name: str, default: bool) -> bool:
    value = _env(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


class Config:
    """Defaults for a real deployment; every value can be overridden from the environment."""

    def __init__(self, instance_path: str):
        instance = Path(instance_path)
        self.SECRET_KEY = _env("SECRET_KEY") or _secret_key_from_file(instance / "secret_key")
        self.SQLALCHEMY_DATABASE_URI = _database_url(_env("DATABASE_URL"), instance)
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.MASTER_KEY_FILE = _env("MASTER_KEY_FILE") or str(instance / "master.key")
        self.ERASURE_LEDGER_FILE = _env("ERASURE_LEDGER_FILE")
        self.AUDIT_ANCHOR_FILE = _env("AUDIT_ANCHOR_FILE")
        self.ERASURE_WIPE_TIMEOUT_MS = int(_env("ERASURE_WIPE_TIMEOUT_MS", "5000"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SECURE_COOKIES", False)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.SESSION_MINUTES = int(_env("SESSION_MINUTES", "480"))
        self.IDLE_MINUTES = int(_env("IDLE_MINUTES", "30"))
        self.PERMANENT_SESSION_LIFETIME = self.SESSION_MINUTES * 60
        self.ANALYST_2FA = _bool("ANALYST_2FA", True)
        self.IDENTITY_PROVIDER = _env("IDENTITY_PROVIDER", "password")
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "casework+db://")
        self.RATELIMIT_KEY_PREFIX = "casework"
        self.LOGIN_ATTEMPTS = int(_env("LOGIN_ATTEMPTS", "10"))
        self.LOGIN_ADDRESS_ATTEMPTS = int(_env("LOGIN_ADDRESS_ATTEMPTS", "50"))
        self.LOGIN_WINDOW_MINUTES = int(_env("LOGIN_WINDOW_MINUTES", "15"))
        self.TOKEN_ATTEMPTS = int(_env("TOKEN_ATTEMPTS", "20"))
        self.FEED_REQUESTS_PER_HOUR = int(_env("FEED_REQUESTS_PER_HOUR", "60"))
        self.PARTICIPANT_PAGE_SIZE = int(_env("PARTICIPANT_PAGE_SIZE", "50"))
        self.TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0"))
        self.WTF_CSRF_TIME_LIMIT = None
        self.MAX_CONTENT_LENGTH = int(_env("MAX_REQUEST_BYTES", str(1024 * 1024)))
        self.BABEL_DEFAULT_LOCALE = _env("LOCALE", "sv")
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
        self.LANGUAGES = ["sv", "en"]
        self.BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")
        self.MAIL_SERVER = _env("SMTP_HOST", "localhost")
        self.MAIL_PORT = int(_env("SMTP_PORT", "25"))
        self.MAIL_USERNAME = _env("SMTP_USER")
        self.MAIL_PASSWORD = _env("SMTP_PASSWORD")
        self.MAIL_USE_TLS = _bool("SMTP_STARTTLS", False)
        self.MAIL_SENDER = _env("MAIL_FROM", "casework@localhost")
        self.API_TITLE = "Casework API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api/v1"
        self.OPENAPI_JSON_PATH = "openapi.json"


def _database_url(url: str | None, instance: Path) -> str:
    if not url:
        return f"sqlite:///{instance / 'casework.sqlite'}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _secret_key_from_file(path: Path) -> str:
    """The session-signing key: generated once per instance, never used for encryption."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(os.urandom(32).hex())
    return path.read_text().strip()
