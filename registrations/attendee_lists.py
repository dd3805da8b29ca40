"""Reading a meeting tool's attendee list (Teams, Zoom, Webex exports): names and addresses."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata

from flask_babel import lazy_gettext as _l

from app.errors import DomainError

IMPORT_MAX_BYTES = 2 * 1024 * 1024


def fold(text: str) -> str:
    """Lower case without accents and with single spaces: 'Chloé  DUBOIS' → 'chloe dubois'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


_EMAIL = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+")
NAME_HEADERS = ("naam", "name", "volledige naam", "full name", "deelnemer", "participant", "display name")


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")  # Teams saves its attendance report like this
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel on Windows saves "CSV" like this


def _rows(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]


def parse_attendee_list(data: bytes) -> list[tuple[str, str | None]]:
    """(name, e-mail or None) per row of a meeting tool's export (Teams, Zoom, Webex: CSV with
    a header; `,`, `;` or tab; UTF-8, UTF-16 or Windows-1252). Raises DomainError when the
    file has no e-mail or name column."""
    if len(data) > IMPORT_MAX_BYTES:
        raise DomainError(_l("Het bestand is te groot (hoogstens 2 MB)."), field="file")
    rows = _rows(_decode(data))
    if not rows:
        raise DomainError(_l("Het bestand is leeg."), field="file")
    header = [fold(cell) for cell in rows[0]]
    email_col = next((i for i, h in enumerate(header) if "mail" in h), None)
    name_col = next((i for i, h in enumerate(header) if h in NAME_HEADERS), None)
    first_col = next((i for i, h in enumerate(header) if h in ("voornaam", "first name")), None)
    last_col = next(
        (i for i, h in enumerate(header) if h in ("achternaam", "familienaam", "last name")), None
    )
    if email_col is None and name_col is None and first_col is None:
        raise DomainError(
            _l(
                "We vinden geen kolom met e-mailadressen of namen. De eerste rij moet de kolomnamen bevatten."
            ),
            field="file",
        )

    def cell(row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    result = []
    for row in rows[1:]:
        if name_col is not None:
            name = cell(row, name_col)
        else:
            name = f"{cell(row, first_col)} {cell(row, last_col)}".strip()
        found = _EMAIL.search(cell(row, email_col)) if email_col is not None else None
        result.append((name, found.group(0) if found else None))
    return result
