"""Uploaded files: checked by their content, stored outside the web root under generated names.

One place for every upload in the app (handouts, final decks, deck templates, dossier
documents). A file's name is never trusted: its kind is read from its first bytes (and, for
Office files, from the parts inside the zip), and a name that promises another kind is refused.
Files land in UPLOAD_FOLDER/<area>/<year>/<random>.<ext>; the key (that relative path) is what
the database stores, and `open_stored` refuses any key that would leave the folder.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import logging
import os
import re
import secrets
import shlex
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.errors import DomainError, NotFound

log = logging.getLogger(__name__)

#: kind: (MIME type, file extension, what people call it)
KINDS = {
    "pdf": ("application/pdf", ".pdf", "PDF"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
        "PowerPoint",
    ),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel"),
    "png": ("image/png", ".png", "PNG"),
    "jpeg": ("image/jpeg", ".jpg", "JPEG"),
}
_EXTENSIONS = {".jpeg": "jpeg", **{ext: kind for kind, (_, ext, _) in KINDS.items()}}
#: the part that makes an Office Open XML zip a document of that kind
_OOXML_MAIN_PART = {"pptx": "ppt/presentation.xml", "docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_MAX_UNZIPPED = 500 * 1024 * 1024  # a "document" that inflates further is a zip bomb
_KEY = re.compile(r"^[a-z0-9-]+/\d{4}/[0-9a-f]{32}\.[a-z]{3,4}$")
_AREA = re.compile(r"^[a-z0-9-]+$")
_CHUNK = 64 * 1024


class UploadRefused(DomainError):
    """The file was not stored; the message says why, in the user's language."""


@dataclass(frozen=True)
class StoredFile:
    key: str
    kind: str
    size: int
    sha256: str
    original_name: str
    content_type: str


def kind_label(kind: str) -> str:
    return KINDS[kind][2]


def accepted_extensions(allowed) -> str:
    """For an <input type=file accept=…> hint; the server still checks the content."""
    return ",".join(
        sorted({KINDS[kind][1] for kind in allowed} | ({".jpeg"} if "jpeg" in allowed else set()))
    )


def sniff(path: Path) -> str | None:
    """The kind of the file by its content, or None when it is none of the accepted kinds."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                infos = archive.infolist()
                names = {info.filename for info in infos}
                if sum(info.file_size for info in infos) > _MAX_UNZIPPED:
                    return None
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" in names:
            for kind, part in _OOXML_MAIN_PART.items():
                if part in names:
                    return kind
    return None


def clean_filename(name: str | None) -> str:
    """The name to show and offer on download: no folders, no control characters, not too long."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 150 - len(ext) - 1]}.{ext}" if dot and len(ext) <= 5 else name[:150]
    return name or "bestand"


def _root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def store_upload(
    stream: BinaryIO, *, filename: str | None, area: str, allowed, max_bytes: int | None = None
) -> StoredFile:
    """Store an uploaded file if its content is one of the `allowed` kinds.

    Raises UploadRefused (nothing is left on disk) when it is empty, too large, of another kind
    than allowed or than its name says, flagged by the virus scanner, or when the disk is full.
    """
    if not _AREA.match(area):
        raise ValueError(f"bad upload area {area!r}")
    max_bytes = max_bytes or current_app.config["UPLOAD_MAX_BYTES"]
    original = clean_filename(filename)
    folder = _root() / area / f"{date.today():%Y}"
    token = secrets.token_hex(16)
    partial = folder / f".{token}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        size, digest = _write_limited(stream, partial, max_bytes)
        kind = _check(partial, original, size, allowed, max_bytes)
        _scan(partial)
        final = folder / f"{token}{KINDS[kind][1]}"
        os.replace(partial, final)
    except OSError as error:
        partial.unlink(missing_ok=True)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            log.error("upload refused: disk full under %s", folder)
            raise UploadRefused(
                _l("Het bestand kon niet bewaard worden: de opslag is vol. Probeer het later opnieuw.")
            ) from error
        raise
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return StoredFile(
        key=final.relative_to(_root()).as_posix(),
        kind=kind,
        size=size,
        sha256=digest,
        original_name=original,
        content_type=KINDS[kind][0],
    )


def store_bytes(data: bytes, *, filename: str, area: str, allowed) -> StoredFile:
    """Store bytes the app made itself (a generated deck, demo files) through the same checks."""
    return store_upload(io.BytesIO(data), filename=filename, area=area, allowed=allowed)


def _write_limited(stream: BinaryIO, target: Path, max_bytes: int) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with target.open("wb") as out:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                break
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest()


def _check(path: Path, original: str, size: int, allowed, max_bytes: int) -> str:
    names = ", ".join(kind_label(kind) for kind in sorted(allowed))
    if size == 0:
        raise UploadRefused(_l("Het bestand is leeg."), field="file")
    if size > max_bytes:
        raise UploadRefused(
            _l("Het bestand is te groot (maximaal %(mb)s MB).", mb=max_bytes // (1024 * 1024)), field="file"
        )
    kind = sniff(path)
    if kind is None or kind not in allowed:
        raise UploadRefused(
            _l("Dit soort bestand kunnen we niet aanvaarden. Toegelaten: %(kinds)s.", kinds=names),
            field="file",
        )
    claimed = _EXTENSIONS.get(Path(original).suffix.lower())
    if claimed is not None and claimed != kind:
        raise UploadRefused(
            _l(
                "De naam van het bestand zegt %(claimed)s, maar de inhoud is %(actual)s. "
                "Kies het juiste bestand.",
                claimed=kind_label(claimed),
                actual=kind_label(kind),
            ),
            field="file",
        )
    return kind


def _scan(path: Path) -> None:
    """Run the configured virus scanner; fail closed when it cannot give a verdict."""
    command = current_app.config.get("UPLOAD_SCAN_COMMAND")
    if not command:
        return
    args = [part.replace("{path}", str(path)) for part in shlex.split(command)]
    try:
        result = subprocess.run(args, capture_output=True, timeout=120, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as error:
        log.error("virus scan could not run: %s", error)
        result = None
    if result is not None and result.returncode == 0:
        return
    if result is not None and result.returncode == 1:
        log.warning("upload refused by the virus scanner: %s", result.stdout[-500:])
        raise UploadRefused(
            _l("Het bestand werd geweigerd: de viruscontrole vond een probleem."), field="file"
        )
    raise UploadRefused(
        _l("Het bestand kon nu niet op virussen gecontroleerd worden. Probeer het later opnieuw."),
        field="file",
    )


def open_stored(key: str) -> Path:
    """The file for a stored key. Raises NotFound for a key that is malformed or gone."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise NotFound(_l("Dit bestand bestaat niet (meer)."))
    root = _root().resolve()
    path = (root / key).resolve()
    if root not in path.parents or not path.is_file():
        raise NotFound(_l("Dit bestand bestaat niet (meer)."))
    return path


def delete_stored(key: str) -> None:
    """Remove a stored file; a file already gone is fine."""
    with contextlib.suppress(NotFound):
        open_stored(key).unlink(missing_ok=True)
