"""Configuration from environment variables, with safe defaults for a developer's machine."""

import math
import os
import re
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


# Mail delivery (the outbox worker), each overridable by an environment variable of the same name.
MAIL_DELIVERY = {
    "MAIL_MAX_ATTEMPTS": 8,  # temporary failures before a mail is given up (failed)
    "MAIL_CLAIM_SECONDS": 300,  # how long a worker's claim on a batch lasts
    "MAIL_RETRY_SECONDS": 60,  # first backoff after a temporary failure; it doubles each time
    "MAIL_RETRY_MAX_SECONDS": 6 * 3600,  # the longest backoff
    "MAIL_BATCH_SIZE": 100,  # mails claimed and sent over one connection
    "MAIL_POLL_SECONDS": 5,  # the worker's pause when nothing is due
}


def _positive_number(name: str, default: float, *, zero: bool = False) -> float:
    """The number in environment variable `name`, or `default`; above zero (or zero too, when
    `zero` says it means "off")."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = float(value)
    except ValueError as error:
        raise ConfigError(f"{name} must be a number, not {value!r}.") from error
    if not math.isfinite(number) or number < 0 or (number == 0 and not zero):
        raise ConfigError(f"{name} must be {'zero or ' if zero else ''}positive.")
    return int(number) if number.is_integer() else number


def _trusted_proxies() -> int:
    value = os.environ.get("TRUSTED_PROXIES", "0").strip() or "0"
    if not value.isdigit():
        raise ConfigError(
            f"TRUSTED_PROXIES must be the number of proxies in front of the app, not {value!r}."
        )
    return int(value)


def _outbox_retention_days() -> int:
    value = os.environ.get("OUTBOX_RETENTION_DAYS", "").strip()
    if not value:
        return 90
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"OUTBOX_RETENTION_DAYS must be a whole number of days, not {value!r}.")
    return int(value)


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: Path) -> dict:
    """Read the environment once and return Flask settings: the one place that reads it.

    Raises ConfigError, naming the variable, for a value that cannot work."""
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
        # The agency and its team: on the certificates of attendance, their check page and the
        # letterhead of a decision proposal.
        "AGENCY_NAME": os.environ.get("AGENCY_NAME", "Agentschap Opgroeien").strip()
        or "Agentschap Opgroeien",
        "TEAM_NAME": os.environ.get("TEAM_NAME", "Team Starters").strip() or "Team Starters",
        # Websites allowed to show /widget in an <iframe>, besides those an admin lists
        # (checked at start-up by the sessions package).
        "WIDGET_ORIGINS": tuple(o for o in re.split(r"[\s,]+", os.environ.get("WIDGET_ORIGINS", "")) if o),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour"),
        # Staff sign-in through the agency's OpenID Connect provider; LOCAL_LOGIN=0 turns passwords off.
        "OIDC_ISSUER": (os.environ.get("OIDC_ISSUER") or "").strip().rstrip("/") or None,
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID") or None,
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET") or None,
        "OIDC_REQUIRE_VERIFIED_EMAIL": _flag("OIDC_REQUIRE_VERIFIED_EMAIL", True),
        "LOCAL_LOGIN": _flag("LOCAL_LOGIN", True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "WTF_CSRF_TIME_LIMIT": None,  # a form left open during an evening session must still post
        # WTForms translates its own messages from Form.Meta.locales (app/forms.py), not Flask-WTF.
        "WTF_I18N_ENABLED": False,
        "BABEL_DEFAULT_LOCALE": "nl_BE",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": ("nl", "en"),
        "PRIVACY_NOTICE_VERSION": os.environ.get("PRIVACY_NOTICE_VERSION", "2026-01"),
        "PRIVACY_RETENTION_MONTHS": int(os.environ.get("PRIVACY_RETENTION_MONTHS", "12")),
        # Days after a session during which its attendees can fill in or change the evaluation.
        "EVALUATION_OPEN_DAYS": int(os.environ.get("EVALUATION_OPEN_DAYS", "14")),
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
        # How long a visitor's visit to the catalogue or a session page trusts the page's version
        # this process read last (app.cache.RecentReads); 0: read it on every visit.
        "PAGE_VERSION_MAX_AGE": _positive_number("PAGE_VERSION_MAX_AGE", 1, zero=True),
        "API_PAGE_SIZE": 20,
        "API_MAX_PAGE_SIZE": 100,
        # The reverse proxies in front of the app whose X-Forwarded-* headers to believe.
        "TRUSTED_PROXIES": _trusted_proxies(),
        # Sent and failed mail is deleted from the outbox after this many days.
        "OUTBOX_RETENTION_DAYS": _outbox_retention_days(),
        **{name: _positive_number(name, default) for name, default in MAIL_DELIVERY.items()},
    }
