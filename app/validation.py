"""Codes that are never free text: enterprise numbers and phone numbers."""

import re

import phonenumbers
from flask_babel import lazy_gettext as _l

from app.errors import DomainError


def normalise_enterprise_number(value: str, field: str = "enterprise_number") -> str:
    """'BE 0566 988 259' → '0566.988.259'; raises DomainError when it is not a valid KBO number.

    Ten digits, the first 0 or 1, the last two equal to 97 − (the first eight mod 97).
    """
    digits = re.sub(r"[\s.\-]", "", (value or "").strip().upper())
    if digits.startswith("BE"):
        digits = digits[2:]
    if re.fullmatch(r"[0-9]{9}", digits):
        digits = "0" + digits  # old nine-digit notation
    if not re.fullmatch(r"[01][0-9]{9}", digits):
        raise DomainError(
            _l("Een ondernemingsnummer heeft 10 cijfers en begint met 0 of 1, bv. 0566.988.259."), field=field
        )
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise DomainError(
            _l("Dit ondernemingsnummer klopt niet (controlegetal). Kijk het even na."), field=field
        )
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def normalise_phone(value: str, field: str = "phone") -> str:
    """A Belgian or international number in E.164 ('+32470123456'); raises DomainError."""
    raw = (value or "").strip()
    try:
        number = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException as error:
        raise DomainError(_l("Dit telefoonnummer kunnen we niet lezen."), field=field) from error
    if not phonenumbers.is_valid_number(number):
        raise DomainError(
            _l("Dit telefoonnummer klopt niet. Bijvoorbeeld 0470 12 34 56 of +32 9 123 45 67."), field=field
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(value: str | None) -> str:
    """How a stored number reads on a page: a Belgian one nationally ('0479 66 74 52'), a foreign
    one internationally ('+31 6 12345678'); what cannot be read is shown as it was stored."""
    raw = (value or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_valid_number(number):
        return raw
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 32
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def phone_link(value: str | None) -> str:
    """The tel: target of a stored number (E.164 when it can be read)."""
    raw = (value or "").strip()
    try:
        return phonenumbers.format_number(phonenumbers.parse(raw, "BE"), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return raw
