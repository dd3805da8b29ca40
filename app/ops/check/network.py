"""The SMTP server and Redis: reachable, and the settings they need."""

from __future__ import annotations

import dataclasses

from flask import current_app
from flask_babel import gettext as _

from app.config import ConfigError
from app.ops.check.results import NETWORK_TIMEOUT, Result, fail, in_production, ok, safe_url, warn

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
        if in_production():
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
                    url=safe_url(url),
                    reason=str(error),
                ),
            )
        ]
    finally:
        client.close()
    return [ok("Redis", _("bereikbaar: rate limits gedeeld tussen de app-servers."))]
