"""`flask check`: is this installation ready to serve? One line per check, and how to fix it.

Each check returns Results; nothing here changes anything (the upload check writes and removes
one small file). Network checks use short timeouts, so a firewall that drops packets costs
seconds, not minutes.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.config import PROJECT_ROOT, ConfigError

NETWORK_TIMEOUT = 5.0
DEV_SECRET = "dev-only-not-secret"  # noqa: S105 - the development default in app/config.py, refused here
FREE_SPACE_WARN = 1024**3  # 1 GiB


class Status(enum.StrEnum):
    OK = "OK"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Result:
    status: Status
    name: str
    message: str

    def line(self) -> str:
        return f"{self.status.value:<4}  {self.name}: {self.message}"


def ok(name: str, message: str) -> Result:
    return Result(Status.OK, name, message)


def warn(name: str, message: str) -> Result:
    return Result(Status.WARN, name, message)


def fail(name: str, message: str) -> Result:
    return Result(Status.FAIL, name, message)


def _production() -> bool:
    return current_app.config.get("ENV_NAME") == "production"


def _safe_url(url) -> str:
    return make_url(url).render_as_string(hide_password=True)


# --------------------------------------------------------------------------- configuration


def check_config() -> list[Result]:
    config, production = current_app.config, _production()
    results = []
    secret = config.get("SECRET_KEY") or ""
    if not secret or secret == DEV_SECRET:
        make = fail if production else warn
        results.append(
            make(
                "SECRET_KEY",
                _(
                    "niet gezet: de ontwikkelwaarde tekent sessies en links. Zet SECRET_KEY op een "
                    "lange willekeurige waarde (python -c 'import secrets; print(secrets.token_hex(32))')."
                ),
            )
        )
    elif len(secret) < 32:
        results.append(warn("SECRET_KEY", _("korter dan 32 tekens: kies een langere willekeurige waarde.")))
    else:
        results.append(ok("SECRET_KEY", _("gezet.")))

    base_url = config.get("BASE_URL") or ""
    if not base_url.startswith(("http://", "https://")):
        results.append(fail("BASE_URL", _("%(url)r is geen adres: zet BASE_URL=https://…", url=base_url)))
    elif production and not base_url.startswith("https://"):
        results.append(
            fail(
                "BASE_URL",
                _(
                    "%(url)s gebruikt geen https: links in mails en cookies zouden onbeveiligd zijn. "
                    "Zet BASE_URL op het https-adres van de site.",
                    url=base_url,
                ),
            )
        )
    else:
        results.append(ok("BASE_URL", base_url))

    from app.outbox.transport import address_of

    mail_from = config.get("MAIL_FROM") or ""
    address = address_of(mail_from)
    if "@" not in address:
        results.append(
            fail(
                "MAIL_FROM",
                _("%(value)r is geen e-mailadres: zet MAIL_FROM='Naam <adres@domein>'.", value=mail_from),
            )
        )
    elif production and address.endswith(".local"):
        results.append(
            fail(
                "MAIL_FROM",
                _(
                    "%(address)s is het voorbeeldadres: ontvangers kunnen er niet op antwoorden en "
                    "spamfilters weigeren het. Zet MAIL_FROM op een adres van het agentschap.",
                    address=address,
                ),
            )
        )
    else:
        results.append(ok("MAIL_FROM", mail_from))

    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if production and url.get_backend_name() == "sqlite":
        results.append(
            ok(
                "DATABASE_URL",
                _(
                    "SQLite (%(url)s): goed voor één app-server; voor meer zet "
                    "DATABASE_URL=postgresql://gebruiker@host/databank.",
                    url=_safe_url(url),
                ),
            )
        )
    else:
        results.append(ok("DATABASE_URL", _safe_url(url)))
    return results


# --------------------------------------------------------------------------- database


def _script_heads() -> set[str]:
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return set(ScriptDirectory.from_config(config).get_heads())


def _engine_for_check(url):
    if url.get_backend_name() == "postgresql":
        return create_engine(url, connect_args={"connect_timeout": int(NETWORK_TIMEOUT)})
    return create_engine(url)


def check_database() -> list[Result]:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    shown = _safe_url(url)
    sqlite_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if sqlite_file and not Path(url.database).exists():
        return [
            fail(
                "database",
                _(
                    "het bestand %(path)s bestaat niet. Maak het schema met `flask --app wsgi db upgrade`.",
                    path=url.database,
                ),
            )
        ]
    engine = _engine_for_check(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:  # noqa: BLE001 - every way of failing is reported the same way
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return [
            fail(
                "database",
                _(
                    "%(url)s is niet bereikbaar (%(reason)s). Controleer DATABASE_URL, of de server "
                    "draait en of deze machine er mag verbinden.",
                    url=shown,
                    reason=reason,
                ),
            )
        ]
    finally:
        engine.dispose()
    results = [ok("database", _("%(url)s bereikbaar.", url=shown))]
    heads = _script_heads()
    if not current:
        results.append(fail("migrations", _("de databank is leeg: voer `flask --app wsgi db upgrade` uit.")))
    elif current == heads:
        results.append(ok("migrations", _("op de laatste versie (%(rev)s).", rev=", ".join(sorted(heads)))))
    else:
        known = _known_revisions()
        if current - known:
            results.append(
                fail(
                    "migrations",
                    _(
                        "de databank staat op %(current)s, een versie die deze code niet kent: "
                        "draait hier oudere code dan de databank? Installeer de nieuwste versie.",
                        current=", ".join(sorted(current)),
                    ),
                )
            )
        else:
            results.append(
                fail(
                    "migrations",
                    _(
                        "de databank staat op %(current)s, de code verwacht %(heads)s. Voer "
                        "`flask --app wsgi db upgrade` uit (vóór de app-servers herstarten).",
                        current=", ".join(sorted(current)),
                        heads=", ".join(sorted(heads)),
                    ),
                )
            )
    return results


def _known_revisions() -> set[str]:
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


# --------------------------------------------------------------------------- SMTP and Redis


def check_smtp() -> list[Result]:
    from app.outbox.transport import ConnectFailed, SmtpConnection, SmtpSettings

    url = current_app.config.get("SMTP_URL")
    if not url:
        return [
            warn(
                "SMTP",
                _(
                    "geen SMTP_URL: mail blijft in de outbox-viewer (/beheer/outbox) en wordt niet "
                    "verstuurd. Zet SMTP_URL=smtp://gebruiker:wachtwoord@host:587?starttls=1."
                ),
            )
        ]
    try:
        settings = SmtpSettings.from_url(url)
    except ConfigError as error:
        return [fail("SMTP", str(error))]
    settings = dataclasses.replace(settings, timeout=min(settings.timeout, NETWORK_TIMEOUT))
    connection = SmtpConnection(settings)
    try:
        connection.open()
    except ConnectFailed as error:
        return [
            fail(
                "SMTP",
                _(
                    "%(server)s: %(reason)s. Controleer host, poort, STARTTLS en login in SMTP_URL, en "
                    "of de firewall deze machine doorlaat.",
                    server=settings.describe(),
                    reason=str(error),
                ),
            )
        ]
    finally:
        connection.close()
    return [ok("SMTP", _("%(server)s aanvaardt de verbinding.", server=settings.describe()))]


def check_redis() -> list[Result]:
    url = current_app.config.get("REDIS_URL")
    if not url:
        if _production():
            return [
                warn(
                    "Redis",
                    _(
                        "geen REDIS_URL: elk gunicorn-proces telt de rate limits (login, "
                        "inschrijvingen) apart. Zet REDIS_URL=redis://host:6379/0."
                    ),
                )
            ]
        return [ok("Redis", _("niet ingesteld: rate limits in het geheugen van dit proces."))]
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=NETWORK_TIMEOUT, socket_timeout=NETWORK_TIMEOUT)
    try:
        client.ping()
    except redis.RedisError as error:
        return [
            fail(
                "Redis",
                _(
                    "%(url)s antwoordt niet (%(reason)s). Controleer REDIS_URL en of Redis draait.",
                    url=_safe_url(url),
                    reason=str(error),
                ),
            )
        ]
    finally:
        client.close()
    return [ok("Redis", _("bereikbaar: rate limits gedeeld tussen de app-servers."))]


# --------------------------------------------------------------------------- staff sign-in


def check_sign_in() -> list[Result]:
    """Local passwords and/or the agency's OpenID Connect provider: can anyone sign in?"""
    import requests

    from app.auth import oidc

    config, name = current_app.config, "sign-in"
    problem = oidc.configuration_problem(config)
    if problem:
        return [fail(name, problem)]
    issuer = config.get("OIDC_ISSUER")
    if not issuer:
        return [ok(name, _("lokale wachtwoorden (geen OIDC_ISSUER: geen aanmelding via het agentschap)."))]
    if _production() and not issuer.startswith("https://"):
        return [
            fail(name, _("OIDC_ISSUER=%(issuer)s gebruikt geen https: zet het https-adres.", issuer=issuer))
        ]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=NETWORK_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
        reason = oidc.metadata_problem(metadata, issuer) if isinstance(metadata, dict) else "no JSON object"
    except (requests.RequestException, ValueError) as error:
        reason = str(error)
    if reason:
        return [
            fail(
                name,
                _(
                    "de provider van het agentschap is niet bruikbaar: %(url)s (%(reason)s). Controleer "
                    "OIDC_ISSUER en of deze machine de provider mag bereiken.",
                    url=url,
                    reason=reason,
                ),
            )
        ]
    redirect_uri = config["BASE_URL"].rstrip("/") + oidc.CALLBACK_PATH
    if "code_challenge_methods_supported" not in metadata:
        return [
            warn(
                name,
                _(
                    "%(issuer)s bereikbaar, maar de provider vermeldt niet dat hij PKCE (S256) "
                    "ondersteunt; vraag het na. Terugkeeradres bij de provider: %(redirect)s.",
                    issuer=issuer,
                    redirect=redirect_uri,
                ),
            )
        ]
    if config.get("LOCAL_LOGIN", True):
        message = _(
            "via het agentschap (%(issuer)s) en met wachtwoorden. "
            "Terugkeeradres bij de provider: %(redirect)s.",
            issuer=issuer,
            redirect=redirect_uri,
        )
    else:
        message = _(
            "alleen via het agentschap (%(issuer)s). Terugkeeradres bij de provider: %(redirect)s.",
            issuer=issuer,
            redirect=redirect_uri,
        )
    return [ok(name, message)]


# --------------------------------------------------------------------------- uploads


def check_uploads() -> list[Result]:
    folder = Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".check-", delete=True) as probe:
            probe.write(b"startklaar")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        return [
            fail(
                "UPLOAD_FOLDER",
                _(
                    "%(folder)s is niet schrijfbaar (%(reason)s). Geef de gebruiker van de app "
                    "schrijfrechten of zet UPLOAD_FOLDER op een andere map.",
                    folder=folder,
                    reason=error.strerror or error,
                ),
            )
        ]
    free = shutil.disk_usage(folder).free
    needed = 2 * int(current_app.config.get("UPLOAD_MAX_BYTES") or 20 * 1024**2)
    shown = _("%(free)s vrij in %(folder)s", free=_size(free), folder=folder)
    if free < max(needed, 100 * 1024**2):
        return [
            fail("UPLOAD_FOLDER", _("%(shown)s: uploads zullen mislukken. Maak ruimte vrij.", shown=shown))
        ]
    if free < FREE_SPACE_WARN:
        return [warn("UPLOAD_FOLDER", _("%(shown)s: minder dan 1 GB, maak ruimte vrij.", shown=shown))]
    return [ok("UPLOAD_FOLDER", _("%(shown)s, schrijfbaar.", shown=shown))]


def _size(count: int) -> str:
    if count < 1024**3:
        return f"{count / 1024**2:.0f} MB"
    return f"{count / 1024**3:.1f} GB"


# --------------------------------------------------------------------------- scheduled jobs


def check_jobs() -> list[Result]:
    """Jobs that never ran, stopped running or failed: the timer is off, or a job is broken."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.db import utcnow
    from app.extensions import db
    from app.ops import jobs

    try:
        states = jobs.job_states()
    except SQLAlchemyError:
        db.session.rollback()
        return []  # no database or no job_locks table yet: the database checks said so
    now, problems = utcnow(), []
    for job, row in states:
        if row is None or row.last_run_at is None:
            problems.append(_("%(job)s liep nog nooit", job=job.name))
        elif row.last_error:
            error = row.last_error.splitlines()[-1]
            problems.append(_("%(job)s faalde: %(error)s", job=job.name, error=error))
        elif row.last_run_at < job.threshold(now) - (job.every or timedelta(days=1)) - timedelta(minutes=5):
            when = f"{row.last_run_at:%Y-%m-%d %H:%M} UTC"
            problems.append(_("%(job)s liep niet meer sinds %(when)s", job=job.name, when=when))
    if problems:
        return [
            warn(
                "jobs",
                _(
                    "%(problems)s. Staat startklaar-jobs.timer (of `flask --app wsgi jobs worker`) aan? "
                    "Details: `flask --app wsgi jobs list`.",
                    problems="; ".join(problems),
                ),
            )
        ]
    return [ok("jobs", _("%(count)s taken op schema.", count=len(states)))]


CHECKS: list[Callable[[], list[Result]]] = [
    check_config,
    check_sign_in,
    check_database,
    check_smtp,
    check_redis,
    check_uploads,
    check_jobs,
]


DATABASE_CHECKS = {"database", "migrations"}


def run_checks() -> list[Result]:
    results: list[Result] = []
    for check in CHECKS:
        database_failed = any(r.name in DATABASE_CHECKS and r.status is Status.FAIL for r in results)
        if check is check_jobs and database_failed:
            continue  # it would wait on the same database, or create an empty SQLite file
        results.extend(check())
    return results
