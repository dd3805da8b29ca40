"""The database: reachable, and its schema at the migrations' head."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.config import PROJECT_ROOT
from app.ops.check.results import NETWORK_TIMEOUT, Result, fail, ok, safe_url

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
    shown = safe_url(url)
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
