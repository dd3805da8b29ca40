"""Built decks kept as files, by the version of the data they show.

A deck takes a few hundred milliseconds to build and is the same until its session, its
registrations, its topic's library, the master, the logo or the code changes. services.generating
computes that version (a SHA-256 over what the deck is made of, read without reading the data
itself) and keeps the deck under it here, so every download after the first is a file read.

Files, not memory: the web server runs several worker processes, and a deck built by one is
served by all. A file is written under a temporary name and renamed, so a reader sees a whole
deck or none. An entry is never stale (a changed version is another name); older versions of
a session's deck are removed when a newer one is stored, and beyond MAX_FILES or MAX_BYTES the
least recently used go first. The folder is DECK_CACHE_FOLDER, by default `deck-cache` in the
instance folder; removing it at any time is safe.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from flask import current_app

MAX_FILES = 300
MAX_BYTES = 128 * 1024 * 1024
SUFFIX = ".pptx"


def folder() -> Path:
    configured = current_app.config.get("DECK_CACHE_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "deck-cache"


def _name(session_id: int, version: str) -> str:
    return f"sessie-{session_id}-{version}{SUFFIX}"


def get(session_id: int, version: str) -> bytes | None:
    """The deck stored for this session and version, or None."""
    path = folder() / _name(session_id, version)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: evicted last
    return data


def put(session_id: int, version: str, data: bytes) -> None:
    """Store a deck; drop this session's older versions and, over the limits, the least recently
    used decks. A cache that cannot be written (full disk, read-only folder) is skipped: the deck
    is still served, only built again next time."""
    where = folder()
    try:
        where.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=SUFFIX)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, where / _name(session_id, version))
    except OSError as error:
        current_app.logger.warning("deck cache %s not written: %s", where, error)
        return
    _tidy(where, keep=_name(session_id, version), session_prefix=f"sessie-{session_id}-")


def _tidy(where: Path, *, keep: str, session_prefix: str) -> None:
    entries = []
    with contextlib.suppress(OSError), os.scandir(where) as found:
        for entry in found:
            if not entry.name.endswith(SUFFIX) or entry.name == keep:
                continue
            if entry.name.startswith(session_prefix):
                _remove(entry.path)  # an older version of the same session's deck
                continue
            with contextlib.suppress(OSError):
                info = entry.stat()
                entries.append((info.st_mtime_ns, info.st_size, entry.path))
    kept = (where / keep).stat().st_size if (where / keep).exists() else 0
    entries.sort(reverse=True)  # newest first
    total = kept
    for count, (_when, size, path) in enumerate(entries, start=2):
        total += size
        if count > MAX_FILES or total > MAX_BYTES:
            _remove(path)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)


def clear() -> None:
    """Remove every stored deck (tests and benchmarks)."""
    with contextlib.suppress(OSError), os.scandir(folder()) as found:
        for entry in found:
            if entry.name.endswith(SUFFIX):
                _remove(entry.path)
