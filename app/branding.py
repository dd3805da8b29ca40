"""The agency's logo: uploaded once by an admin, shown in the header of every page and offered to
any code that wants it (the deck builder puts it on slides).

Public API:

- `current_logo() -> Logo | None`: the logo's bytes, MIME type, alt text and a version (its
  SHA-256) for caching; None while no logo was uploaded (the header then shows the word mark).
- `logo_version() -> str | None`: only the version, cheap enough for every page (kept in process
  memory for a minute; an upload or removal in this process clears it at once).
- `save_logo(data, filename, alt, actor)` and `remove_logo(actor)`: the admin's changes, checked,
  audited, in one transaction.

A logo is a PNG, JPEG or SVG of at most 1 MB, read by its content, never its name. An SVG is
refused when it holds scripts, event handlers, embedded HTML or links to other files: it is
served from our own origin, so it must be a picture and nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import threading
import time
import xml.etree.ElementTree as ET  # noqa: S405 - parsed only after refusing DTDs and entities
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy import ForeignKey, LargeBinary, String, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from app import audit
from app.database import atomic
from app.db import UTCDateTime, utcnow
from app.errors import DomainError
from app.extensions import db

MAX_LOGO_BYTES = 1024 * 1024
MAX_ALT_LENGTH = 200
_VERSION_TTL_SECONDS = 60
_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_SVG_REFUSED_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video"}
MIMETYPES = {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}
EXTENSIONS = {"png": "png", "jpeg": "jpg", "svg": "svg"}


class LogoRefused(DomainError):
    """The file is not a logo we can show; the message says why."""


class BrandLogo(db.Model):
    """The one current logo (id 1); replacing it overwrites the row."""

    __tablename__ = "brand_logos"

    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    kind: Mapped[str] = mapped_column(String(10))  # png, jpeg or svg
    sha256: Mapped[str] = mapped_column(String(64))
    alt: Mapped[str] = mapped_column(String(MAX_ALT_LENGTH))
    width: Mapped[int | None]
    height: Mapped[int | None]
    original_name: Mapped[str] = mapped_column(String(255))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


@dataclass(frozen=True)
class Logo:
    data: bytes
    mimetype: str
    kind: str  # png, jpeg or svg
    version: str  # the SHA-256 of the bytes: a new logo is a new URL
    alt: str
    width: int | None
    height: int | None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]


def current_logo() -> Logo | None:
    """The uploaded logo, or None when there is none (show the word mark then)."""
    row = db.session.get(BrandLogo, 1)
    if row is None:
        return None
    return Logo(
        data=row.data,
        mimetype=MIMETYPES[row.kind],
        kind=row.kind,
        version=row.sha256,
        alt=row.alt,
        width=row.width,
        height=row.height,
    )


_version_lock = threading.Lock()


def _version_cache() -> dict:
    return current_app.extensions.setdefault("branding_logo_header", {})


def logo_header() -> tuple[str, str, str] | None:
    """(version, extension, alt) of the current logo for the page header, or None.

    Read at most once a minute per application: the header is on every page, the logo changes
    once a year. Another app server sees a new logo within that minute."""
    cache = _version_cache()
    now = time.monotonic()
    with _version_lock:
        cached = cache.get("header")
    if cached is not None and now - cached[0] < _VERSION_TTL_SECONDS:
        return cached[1]
    try:
        row = db.session.execute(select(BrandLogo.sha256, BrandLogo.kind, BrandLogo.alt)).first()
    except SQLAlchemyError:
        # The header is drawn on error pages too: a database that is down shows the word mark,
        # never a second error. Nothing is cached, so the logo is back once the database is.
        with contextlib.suppress(SQLAlchemyError):
            db.session.rollback()
        return None
    value = (row.sha256, EXTENSIONS[row.kind], row.alt) if row else None
    with _version_lock:
        cache["header"] = (now, value)
    return value


def logo_version() -> str | None:
    """The current logo's version (its SHA-256), or None."""
    header = logo_header()
    return header[0] if header else None


def _forget_version() -> None:
    with _version_lock:
        _version_cache().clear()


@atomic
def save_logo(data: bytes, filename: str, alt: str, actor=None) -> Logo:
    """Make `data` the agency's logo.

    Preconditions: `data` is the whole file. Raises LogoRefused when it is empty, larger than
    1 MB, not a PNG, JPEG or SVG by its content, an unsafe SVG, or when the alt text is missing.
    """
    alt = " ".join((alt or "").split())
    if not alt:
        raise LogoRefused(_l("Geef de tekst van het logo (bv. de naam van het agentschap)."), field="alt")
    if len(alt) > MAX_ALT_LENGTH:
        raise LogoRefused(_l("Hoogstens %(n)s tekens.", n=MAX_ALT_LENGTH), field="alt")
    kind, width, height = inspect_logo(data)
    row = db.session.get(BrandLogo, 1) or BrandLogo(id=1)
    old = row.sha256
    row.data, row.kind, row.sha256 = data, kind, hashlib.sha256(data).hexdigest()
    row.alt, row.width, row.height = alt, width, height
    row.original_name = (filename or "logo")[-255:]
    row.uploaded_at = utcnow()
    row.uploaded_by_id = getattr(actor, "id", None)
    db.session.add(row)
    audit.record("branding", "logo", "logo.saved", actor=actor, changes={"logo": [old, row.sha256]})
    db.session.commit()
    _forget_version()
    return current_logo()


@atomic
def remove_logo(actor=None) -> None:
    """Go back to the word mark. Removing when there is no logo changes nothing."""
    row = db.session.get(BrandLogo, 1)
    if row is None:
        return
    audit.record("branding", "logo", "logo.removed", actor=actor, changes={"logo": [row.sha256, None]})
    db.session.delete(row)
    db.session.commit()
    _forget_version()


def inspect_logo(data: bytes) -> tuple[str, int | None, int | None]:
    """(kind, width, height) of an acceptable logo; raises LogoRefused otherwise."""
    if not data:
        raise LogoRefused(_l("Kies een bestand."), field="file")
    if len(data) > MAX_LOGO_BYTES:
        raise LogoRefused(_l("Een logo is hoogstens 1 MB groot."), field="file")
    head = data[:512].lstrip()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) or b"<svg" in head:
        return "svg", *_check_svg(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind, (width, height) = (image.format or "").lower(), image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise LogoRefused(_l("Dit is geen PNG-, JPEG- of SVG-afbeelding."), field="file") from None
    if kind not in ("png", "jpeg"):
        raise LogoRefused(_l("Dit is geen PNG-, JPEG- of SVG-afbeelding."), field="file")
    if width > 4000 or height > 4000:
        raise LogoRefused(_l("Een logo is hoogstens 4000 bij 4000 pixels."), field="file")
    return kind, width, height


def _check_svg(data: bytes) -> tuple[int | None, int | None]:
    refused = LogoRefused(
        _l("Dit SVG-bestand bevat scripts, koppelingen of andere inhoud dan een afbeelding."), field="file"
    )
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise refused
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DTD, so no entities to expand
    except ET.ParseError:
        raise LogoRefused(_l("Dit SVG-bestand is beschadigd."), field="file") from None
    if root.tag != f"{_SVG}svg":
        raise LogoRefused(_l("Dit is geen PNG-, JPEG- of SVG-afbeelding."), field="file")
    for element in root.iter():
        tag = element.tag.split("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag in _SVG_REFUSED_ELEMENTS:
            raise refused
        for name, value in element.attrib.items():
            local = name.split("}", 1)[-1].lower()
            if local.startswith("on"):
                raise refused
            if (local == "href" or name == _XLINK_HREF) and not value.strip().startswith("#"):
                raise refused
            if "url(" in value.replace(" ", "").lower() and "url(#" not in value.replace(" ", "").lower():
                raise refused
        if tag == "style" and element.text and ("@import" in element.text or "url(" in element.text):
            raise refused
    return _svg_length(root.get("width")), _svg_length(root.get("height"))


def _svg_length(value: str | None) -> int | None:
    value = (value or "").strip().removesuffix("px")
    try:
        return round(float(value)) if value else None
    except ValueError:
        return None
