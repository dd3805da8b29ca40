"""Tables as files people open in Excel: CSV for Belgium and XLSX, safe against formulas.

Every export in the app (registrations, reports, dossiers) writes through here, so the rules
live in one place: UTF-8 with a BOM and `;` for Excel in a Belgian locale, labels not codes,
times already local, and no cell that a spreadsheet would run as a formula (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.i18n import month_name

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """What the writers need of a column; a caller's own column type with these three works too."""

    header: object  # a lazy string: translated when the file is built
    # How Excel shows a date, a datetime or a number; None for text and plain numbers.
    number_format: str | None = None
    width: int = 16


def defuse(text: str) -> str:
    """A value a spreadsheet shows as text, never runs: a leading quote before a formula sign."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return month_name(value)
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")  # a Belgian Excel reads a decimal comma
    return defuse(str(value))


def to_csv(columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(column.header) for column in columns])
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(title: str, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> bytes:
    """One sheet with a bold, frozen header row and a filter: real dates and numbers, text
    cells that never turn into formulas."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append([str(column.header) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = sheet.cell(row=count + 1, column=index)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # openpyxl would store "=…" as a formula
            else:
                cell.value = value
                if column.number_format and value is not None:
                    cell.number_format = column.number_format
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    workbook.properties.creator = "Startklaar"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
