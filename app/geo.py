"""Belgian reference data: postcodes → municipality → province, and public holidays."""

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from dateutil.easter import easter
from flask_babel import lazy_gettext as _l

from app.errors import DomainError

PROVINCES = {
    "antwerpen": _l("Antwerpen"),
    "limburg": _l("Limburg"),
    "oost-vlaanderen": _l("Oost-Vlaanderen"),
    "vlaams-brabant": _l("Vlaams-Brabant"),
    "west-vlaanderen": _l("West-Vlaanderen"),
    "brussel": _l("Brussel"),
}

_DATA = Path(__file__).parent / "data" / "postcodes.csv"


@dataclass(frozen=True)
class Place:
    postcode: str
    municipality: str
    province: str

    @property
    def province_label(self) -> str:
        return str(PROVINCES[self.province])


@cache
def _table() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[tuple[str, str]]] = {}
    with _DATA.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            table.setdefault(row["postcode"], []).append((row["municipality"], row["province"]))
    return {pc: tuple(sorted(rows)) for pc, rows in table.items()}


def is_wallonia(postcode: str) -> bool:
    number = int(postcode)
    return 1300 <= number <= 1499 or 4000 <= number <= 7999


def lookup_postcode(postcode: str, field: str = "postcode") -> Place:
    """The municipality and province of a Flemish or Brussels postcode.

    Raises DomainError with a kind explanation for a Walloon postcode, and for anything that is
    not a known 4-digit Belgian postcode.
    """
    postcode = (postcode or "").strip()
    if not re.fullmatch(r"[0-9]{4}", postcode):  # ASCII digits only: "²" is a digit to isdigit()
        raise DomainError(_l("Een postcode heeft 4 cijfers, bijvoorbeeld 9000."), field=field)
    if is_wallonia(postcode):
        raise DomainError(
            _l(
                "Deze postcode ligt in Wallonië. Daar is ons agentschap niet bevoegd: voor opvang in "
                "Wallonië kun je terecht bij het ONE (Office de la Naissance et de l'Enfance)."
            ),
            field=field,
        )
    rows = _table().get(postcode)
    if not rows:
        raise DomainError(_l("Deze postcode kennen we niet. Controleer hem even."), field=field)
    municipality, province = rows[0]
    return Place(postcode, municipality, province)


@cache
def belgian_holidays(year: int) -> dict[date, str]:
    """The ten legal public holidays in Belgium (law of 4 January 1974)."""
    easter_sunday = easter(year)
    return {
        date(year, 1, 1): "Nieuwjaar",
        easter_sunday + timedelta(days=1): "Paasmaandag",
        date(year, 5, 1): "Dag van de Arbeid",
        easter_sunday + timedelta(days=39): "O.L.H. Hemelvaart",
        easter_sunday + timedelta(days=50): "Pinkstermaandag",
        date(year, 7, 21): "Nationale feestdag",
        date(year, 8, 15): "O.L.V. Hemelvaart",
        date(year, 11, 1): "Allerheiligen",
        date(year, 11, 11): "Wapenstilstand",
        date(year, 12, 25): "Kerstmis",
    }


def holiday_name(day: date) -> str | None:
    return belgian_holidays(day.year).get(day)
