"""The upload folder: there, writable, and with room to spare."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.ops.check.results import FREE_SPACE_WARN, Result, fail, ok, warn

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
