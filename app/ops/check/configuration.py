"""The configuration: a secret key, the public address, the upload folder, production settings."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.engine import make_url

from app.ops.check.results import DEV_SECRET, Result, fail, in_production, ok, safe_url, warn

# --------------------------------------------------------------------------- configuration


def check_config() -> list[Result]:
    config, production = current_app.config, in_production()
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
                    url=safe_url(url),
                ),
            )
        )
    else:
        results.append(ok("DATABASE_URL", safe_url(url)))
    return results
