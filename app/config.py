"""Configuration from environment variables, with safe defaults for a developer's machine."""

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says what to set."""


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{instance_path / 'startklaar.sqlite'}"
    # `postgresql://user@host/db` must work as written: route it to psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: Path) -> dict:
    """Read the environment once and return Flask settings."""
    production = os.environ.get("STARTKLAAR_ENV", "development") == "production"
    secret = os.environ.get("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. In production Startklaar refuses to start without it: "
                "set SECRET_KEY to a long random value (python -c 'import secrets; "
                "print(secrets.token_hex(32))')."
            )
        secret = "dev-only-not-secret"  # noqa: S105 - development default, refused in production
    base_url = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    https = base_url.startswith("https://")
    redis_url = os.environ.get("REDIS_URL")
    upload_max = int(os.environ.get("UPLOAD_MAX_MB", "20")) * 1024 * 1024
    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": secret,
        "BASE_URL": base_url,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SMTP_URL": os.environ.get("SMTP_URL") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Startklaar <noreply@startklaar.local>"),
        # Where people report what is hard to use or read (the accessibility statement names it).
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "starters@startklaar.local"),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "WTF_CSRF_TIME_LIMIT": None,  # a form left open during an evening session must still post
        "BABEL_DEFAULT_LOCALE": "nl_BE",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": ("nl", "en"),
        "PRIVACY_NOTICE_VERSION": os.environ.get("PRIVACY_NOTICE_VERSION", "2026-01"),
        "PRIVACY_RETENTION_MONTHS": int(os.environ.get("PRIVACY_RETENTION_MONTHS", "12")),
        "CONFIRMATION_HOLD_HOURS": int(os.environ.get("CONFIRMATION_HOLD_HOURS", "24")),
        "PROMOTION_CUTOFF_HOURS": int(os.environ.get("PROMOTION_CUTOFF_HOURS", "12")),
        "REMINDER_OFFSETS": os.environ.get("REMINDER_OFFSETS", "2d,morning").split(","),
        "QUESTIONS_MAX_LENGTH": 1000,
        # Calendar apps poll feeds; a full feed costs real CPU, so one address gets a fair share.
        "FEED_RATE_LIMIT": os.environ.get("FEED_RATE_LIMIT", "120 per minute"),
        "PUBLIC_POST_RATE_LIMIT": os.environ.get("PUBLIC_POST_RATE_LIMIT", "10 per minute;60 per hour"),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or str(instance_path / "uploads"),
        "UPLOAD_MAX_BYTES": upload_max,
        # Flask answers 413 (a friendly page) before a far too large body is even read.
        "MAX_CONTENT_LENGTH": upload_max + 1024 * 1024,
        # e.g. "clamdscan --no-summary --fdpass {path}": exit 0 clean, 1 infected, else error.
        "UPLOAD_SCAN_COMMAND": os.environ.get("UPLOAD_SCAN_COMMAND") or None,
        "CATALOGUE_PAGE_SIZE": 20,
        "FRAGMENT_CACHE": _flag("FRAGMENT_CACHE", True),
        "API_PAGE_SIZE": 20,
        "API_MAX_PAGE_SIZE": 100,
    }
