"""`flask backup`: a consistent copy of the SQLite database while the app keeps running.

SQLite's online backup API copies the pages under one read transaction, so the copy is the
database as it was at one moment; in WAL mode the app's writers go on meanwhile. The copy is
written beside its final name and renamed only after `PRAGMA integrity_check` passed, so a
file with the final name is always a whole, checked backup. PostgreSQL is backed up with its own
tools (pg_dump), see docs/production.md.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.engine import make_url

from app.errors import DomainError

PG_DUMP_HINT = (
    'pg_dump --format=custom --file=startklaar-$(date -u +%Y%m%dT%H%M%SZ).dump "$DATABASE_URL"\n'
    'terugzetten: pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" BESTAND.dump'
)


class BackupRefused(DomainError):
    """No backup was written; the message says why and what to do instead."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    tables: int


def default_path(now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return Path(current_app.instance_path) / "backups" / f"startklaar-{stamp}.sqlite"


def sqlite_path() -> Path:
    """The file of the app's SQLite database; BackupRefused on any other database."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        raise BackupRefused(
            _(
                "flask backup kopieert alleen een SQLite-databank; dit is %(backend)s. Maak een "
                "back-up met pg_dump:\n%(hint)s",
                backend=url.get_backend_name(),
                hint=PG_DUMP_HINT,
            )
        )
    if not url.database or url.database == ":memory:":
        raise BackupRefused(_("Een databank in het geheugen heeft geen bestand om te kopiëren."))
    path = Path(url.database)
    if not path.exists():
        raise BackupRefused(_("De databank %(path)s bestaat niet.", path=path))
    return path


def backup_sqlite(target: Path | None = None) -> Backup:
    """Copy the running SQLite database to `target` (default: instance/backups/<timestamp>),
    check the copy and return it. Raises BackupRefused when the database is not SQLite, the
    target exists, or the copy fails its integrity check (the partial file is removed)."""
    source_path = sqlite_path()
    target = Path(target) if target else default_path()
    if target.exists():
        raise BackupRefused(_("%(path)s bestaat al: kies een andere naam.", path=target))
    if target.resolve() == source_path.resolve():
        raise BackupRefused(_("Het doel is de databank zelf."))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)  # all pages in one step: one snapshot, writers are not blocked (WAL)
        # One self-contained file: no -wal beside it to forget when the copy is moved.
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        tables = copy.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    finally:
        copy.close()
        source.close()
    if verdict != ["ok"]:
        partial.unlink(missing_ok=True)
        raise BackupRefused(
            _(
                "De kopie is niet in orde (integrity_check: %(verdict)s); er is niets bewaard.",
                verdict=verdict[:5],
            )
        )
    os.replace(partial, target)
    return Backup(target, target.stat().st_size, tables)
