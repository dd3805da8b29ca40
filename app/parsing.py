"""Values people put in an address by hand: months, page numbers, ids. One parser for each.

The catalogue, the feeds, the API, the staff lists and the reports read these from the query
string; a mistyped or doctored link must get a clear answer, never a 500. So every value is
checked for its shape *and* its range before it reaches a date computation or the database:
a year the calendar (or a month's next month) cannot hold, a page whose offset overflows a
64-bit integer, an id larger than the id columns (an OverflowError on SQLite, a
NumericValueOutOfRange on PostgreSQL).

The parsers raise `InvalidValue` (a DomainError with a Dutch message) and return None for an
empty value, so a caller decides what "bad" means for it: the API answers 400, a page ignores
the filter with a notice. The limits are also what the OpenAPI document publishes
(sessions/openapi.py), so the document and the code cannot drift.
"""

import re
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.errors import DomainError

# The largest id every database can hold: id columns are INTEGER, 32 bits on PostgreSQL (SQLite
# stores 64). Anything larger is no id of ours (app/converters.py keeps paths to it, too).
MAX_ID = 2**31 - 1
# Far past any real list; keeps (page - 1) * page size well inside a 64-bit OFFSET.
MAX_PAGE = 1_000_000
# Months people plan or look back on; both ends leave room for the month before and after.
FIRST_YEAR, LAST_YEAR = 1900, 2999
# The same rule as a regular expression, for the OpenAPI document.
MONTH_PATTERN = r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])$"

_MONTH = re.compile(MONTH_PATTERN)
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: int() would also take "١٢"
_JSON_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_HUGE = MAX_ID + 1  # stands in for any number beyond every limit here


class InvalidValue(DomainError):
    """A value in the address that is malformed or out of range; the message says what is allowed."""


def _whole_number(raw: str, *, json_notation: bool = False) -> int | None:
    """ASCII digits as a number, None when it is no whole number; beyond every limit → _HUGE.

    With `json_notation`, also a whole number as JSON Schema counts one ("5.0", "1e3"): the API
    documents its page numbers as JSON Schema integers, so it takes what that type admits.
    """
    if _DIGITS.fullmatch(raw):
        digits = raw.lstrip("0") or "0"
        return int(digits) if len(digits) <= len(str(MAX_ID)) else _HUGE
    if not json_notation or not _JSON_NUMBER.fullmatch(raw):
        return None
    value = Decimal(raw)
    if value.is_zero():
        return 0
    if value.adjusted() >= len(str(MAX_ID)):  # (checked first: rounding 1e999999999 overflows)
        return _HUGE if value > 0 else -_HUGE
    if value.adjusted() < 0 or value != value.to_integral_value():
        return None
    return int(value)


def parse_month(raw: str | None) -> date | None:
    """'2027-01' → date(2027, 1, 1); None when empty.

    Raises InvalidValue when it is not YYYY-MM or the year is outside FIRST_YEAR..LAST_YEAR.
    """
    if not raw:
        return None
    if not _MONTH.fullmatch(raw):
        raise InvalidValue(
            _l(
                "Een maand schrijf je als JJJJ-MM, tussen %(first)s en %(last)s, bv. 2027-01.",
                first=FIRST_YEAR,
                last=LAST_YEAR,
            )
        )
    return date(int(raw[:4]), int(raw[5:7]), 1)


def parse_page(raw: str | None, default: int = 1) -> int:
    """A page number, 1..MAX_PAGE; `default` when empty. Raises InvalidValue otherwise."""
    if not raw:
        return default
    number = _whole_number(raw, json_notation=True)
    if number is None or not 1 <= number <= MAX_PAGE:
        raise InvalidValue(_l("Een paginanummer is een geheel getal van 1 tot %(max)s.", max=MAX_PAGE))
    return number


def parse_page_size(raw: str | None, *, default: int, maximum: int) -> int:
    """How many per page: a whole number from 1; more than `maximum` becomes `maximum`.

    `default` when empty. Raises InvalidValue for anything else (0, negative, not a number).
    """
    if not raw:
        return default
    number = _whole_number(raw, json_notation=True)
    if number is None or number < 1:
        raise InvalidValue(_l("Het aantal per pagina is een geheel getal vanaf 1."))
    return min(number, maximum)


def parse_id(raw: str | None) -> int | None:
    """An id, 1..MAX_ID; None when empty. Raises InvalidValue otherwise."""
    if not raw:
        return None
    number = _whole_number(raw)
    if number is None or not 1 <= number <= MAX_ID:
        raise InvalidValue(_l("Dit nummer bestaat niet."))
    return number


def page_or_first(raw: str | None) -> int:
    """A list page's number from a link: a bad one shows the first page, as a person expects."""
    try:
        return parse_page((raw or "").strip())
    except InvalidValue:
        return 1


def id_or_none(raw: str | None) -> int | None:
    """An id from a filter or a hidden field: a bad one is no id at all (nothing matches it)."""
    try:
        return parse_id((raw or "").strip())
    except InvalidValue:
        return None
